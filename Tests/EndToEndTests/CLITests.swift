import Foundation
import Testing

/// Runs the built `clustersim` binary and checks its output and exit code.
@Suite struct CLITests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The binary SwiftPM built beside the test bundle (this target depends on it).
  static var binary: URL {
    get throws {
      let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("clustersim"),
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("clustersim"),
      ]
      guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) })
      else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: candidates[0].path]) }
      return found
    }
  }

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `clustersim arguments…` in the repository root with no standard input.
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
    let process = Process()
    process.executableURL = try binary
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    process.currentDirectoryURL = repository
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes before waiting, so a large output cannot fill a pipe and block the child.
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
      stderr: String(decoding: stderrData, as: UTF8.self))
  }

  /// Writes `text` to `name` in `directory` and returns its path.
  static func write(_ text: String, to name: String, in directory: URL) throws -> String {
    let path = directory.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("clustersim-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func deepSeekR1JSONReportsThePublishedFigures() throws {
    let output = try Self.run(["simulate", "configs/deepseek-r1.yaml", "--format", "json"])
    #expect(output.status == 0)
    #expect(output.stderr.isEmpty)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    #expect(json["schema"] as? String == "clustersim.result/1")
    #expect(json["config"] as? String == "configs/deepseek-r1.yaml")
    #expect(json["seed"] as? Int == 1)
    #expect(json["replications"] as? Int == 100)
    let phases = try #require(json["phases"] as? [[String: Any]])
    #expect(phases.map { $0["name"] as? String } == ["prep-30b", "r1-zero", "r1-cold-start", "r1-rl-reasoning", "sft-data", "r1-sft", "r1-rl-all"])
    func mean(_ phase: [String: Any], _ key: String) -> Double {
      ((phase[key] as? [String: Any])?["mean"] as? Double) ?? .nan
    }
    let h800 = phases.filter { $0["chip"] as? String == "H800-SXM5-80GB" }
    #expect(h800.count == 6)
    let gpuHours = h800.map { mean($0, "gpu_hours") }.reduce(0, +)
    let cost = h800.map { mean($0, "cost_usd") }.reduce(0, +)
    #expect(abs(gpuHours - 147_000) / 147_000 < 0.15)
    #expect(abs(cost - 294_000) / 294_000 < 0.15)
    #expect(abs(cost - 2 * gpuHours) < 1e-6)
    let total = try #require(json["total"] as? [String: Any])
    let prepCost = mean(phases[0], "cost_usd")
    #expect(prepCost > 0)
    #expect(abs(mean(total, "cost_usd") - (cost + prepCost)) < 1e-6)
    for key in ["mean", "p50", "p90", "p99", "min", "max"] {
      #expect((total["wall_clock_hours"] as? [String: Any])?[key] is Double)
    }
  }

  @Test func tableIsTheDefault() throws {
    let output = try Self.run(["simulate", "configs/deepseek-r1.yaml", "--replications", "3"])
    #expect(output.status == 0)
    let lines = output.stdout.split(separator: "\n")
    #expect(lines.first == "ClusterSim: configs/deepseek-r1.yaml (seed 1, 3 replications; means unless marked p90)")
    #expect(lines.contains { $0.hasPrefix("r1-zero") && $0.contains("H800-SXM5-80GB   512") })
    #expect(lines.contains { $0.hasPrefix("total") })
  }

  @Test func sameSeedGivesByteIdenticalJSON() throws {
    let arguments = ["simulate", "configs/example.yaml", "--format", "json", "--seed", "9"]
    let first = try Self.run(arguments)
    let second = try Self.run(arguments)
    #expect(first.status == 0)
    #expect(first.stdout == second.stdout)
    #expect(first.stdout.contains("\"seed\": 9,"))
  }

  @Test func outputIsWrittenAtomically() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("result.csv").path
    let output = try Self.run(["simulate", "configs/example.yaml", "--format", "csv", "--output", path])
    #expect(output.status == 0)
    #expect(output.stdout.isEmpty)
    let written = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      written.hasPrefix(
        "scope,phase,pool,chip,gpus,metric,mean,p50,p90,p99,min,max,sd,mean_ci95_low,mean_ci95_high\n"
      ))
    // Only the result is left: no temporary file beside it.
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["result.csv"])
  }

  @Test func unwritableOutputIsAFailureWhileRunning() throws {
    let output = try Self.run([
      "simulate", "configs/example.yaml", "--output", "/nonexistent-dir/result.json",
    ])
    #expect(output.status == 1)
    #expect(output.stderr == "clustersim: cannot write /nonexistent-dir/result.json: directory /nonexistent-dir does not exist\n")
    #expect(output.stdout.isEmpty)
  }

  @Test func badConfigExitsTwoWithItsPlace() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = try Self.write(
      """
      cluster:
        pools:
          - {name: h800, chip: H800-SXM5-80GB, nodes: 64, price_per_gpu_hour: 2}
      phases:
        - name: main
          pool: h800
          gpus: 1024
          gpu_hours: 1000
      """, to: "x.yaml", in: directory)
    let outputPath = directory.appendingPathComponent("out.json").path
    let output = try Self.run(["simulate", path, "--output", outputPath])
    #expect(output.status == 2)
    #expect(output.stderr == "\(path):7:11: phases[0].gpus: 1024 GPUs requested but pool \"h800\" has 512\n")
    #expect(output.stdout.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: outputPath))
  }

  @Test(arguments: [
    (["simulate", "configs/missing.yaml"], "configs/missing.yaml:1:1: (file): cannot read the config: no such file; check the path\n"),
    (["simulate"], "clustersim: Missing expected argument '<config>'"),
    (["simulate", "configs/example.yaml", "--replications", "0"], "clustersim: --replications must be between 1 and 1000000, got 0"),
    (["simulate", "configs/example.yaml", "--format", "xml"], "clustersim: The value 'xml' is invalid for '--format <format>'"),
    (["simulate", "configs/example.yaml", "--seed", "-1"], "clustersim: "),
    (["frobnicate"], "clustersim: Unexpected argument 'frobnicate'"),
    // An option of another subcommand is named as such, not "did you mean --trace".
    (["simulate", "configs/example.yaml", "--phase", "x"],
     "clustersim: simulate has no option --phase; it is an option of clustersim explain, "
       + "clustersim sweep (see clustersim explain --help)\n"),
    (["sweep", "configs/example.yaml", "--html", "x.html"],
     "clustersim: sweep has no option --html; it is an option of clustersim report (see "
       + "clustersim report --help)\n"),
    (["simulate", "configs/example.yaml", "--zzz"],
     "clustersim: simulate has no option --zzz; see clustersim simulate --help\n"),
    (["simulate", "configs/example.yaml", "--replicatoins", "3"],
     "clustersim: simulate has no option --replicatoins; did you mean --replications?\n"),
  ])
  func badUsageExitsTwo(arguments: [String], message: String) throws {
    let output = try Self.run(arguments)
    #expect(output.status == 2)
    #expect(output.stderr.hasPrefix(message))
    #expect(output.stdout.isEmpty)
  }

  @Test func helpExitsZero() throws {
    let output = try Self.run(["--help"])
    #expect(output.status == 0)
    #expect(output.stdout.contains("simulate"))
    #expect(output.stdout.contains("catalog"))
    #expect(output.stdout.contains("topology"))
  }

  @Test func catalogListsTheBuiltInChips() throws {
    let output = try Self.run(["catalog", "--format", "json"])
    #expect(output.status == 0)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    let chips = try #require(json["chips"] as? [[String: Any]])
    #expect(chips.map { $0["name"] as? String } == [
      "A100-SXM4-80GB", "H800-SXM5-80GB", "H100-SXM5-80GB", "H200-SXM-141GB", "B200-SXM-180GB",
      "GB200-NVL72-186GB", "GB300-NVL72-288GB", "B300-SXM-288GB",
    ])
    #expect(chips[5]["nvlink_domain_gpus"] as? Int == 72)
    #expect((chips[1]["tflops"] as? [String: Double])?["fp8"] == 1979)
    let table = try Self.run(["catalog"])
    #expect(table.stdout.contains("H800-SXM5-80GB           1               -    494.5    989.5    989.5   1,979"))
    #expect(table.stdout.contains("GB200-NVL72-186GB       40"))
  }

  @Test func topologyShowsTheNUMANodes() throws {
    let output = try Self.run(["topology", "--format", "json"])
    #expect(output.status == 0)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    #expect(json["source"] as? String == "libnuma")
    let nodes = try #require(json["nodes"] as? [[String: Any]])
    let cpus = nodes.flatMap { $0["usable_cpus"] as? [Int] ?? [] }
    #expect(cpus.count == ProcessInfo.processInfo.activeProcessorCount)
    let table = try Self.run(["topology"])
    #expect(table.stdout.hasPrefix("NUMA topology (libnuma): \(nodes.count) node"))
  }

  /// The acceptance check: `explain` on the DeepSeek-V3 case prints a step of 19.9 s
  /// ± 10% with its breakdown, whose exposed parts add up to the step.
  @Test func explainDeepSeekV3() throws {
    let output = try Self.run([
      "explain", "configs/calibration/deepseek-v3.yaml", "--format", "json",
    ])
    #expect(output.status == 0)
    #expect(output.stderr.isEmpty)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    #expect(json["schema"] as? String == "clustersim.explain/1")
    let phase = try #require((json["phases"] as? [[String: Any]])?.first)
    let step = try #require(phase["step_seconds"] as? [String: Any])
    let total = try #require(step["total"] as? Double)
    #expect(abs(total / 19.926 - 1) < 0.10)
    func exposed(_ key: String) -> Double {
      (step[key] as? Double) ?? ((step[key] as? [String: Any])?["exposed"] as? Double) ?? .nan
    }
    let parts = [
      "compute", "tensor_parallel", "context_parallel", "pipeline_send", "expert_parallel",
      "data_parallel", "bubble", "optimizer",
    ].map(exposed)
    #expect(abs(parts.reduce(0, +) - total) < 1e-9 * total)
    let memory = try #require(phase["memory_gb"] as? [String: Any])
    #expect((memory["total"] as? Double ?? 99) <= 80)

    let table = try Self.run(["explain", "configs/calibration/deepseek-v3.yaml"])
    #expect(table.status == 0)
    #expect(table.stdout.contains("pipeline bubble"))
    #expect(table.stdout.contains("expert all-to-all"))
  }

  /// An RL phase's explanation: seconds per update by part (they add up to the step, and the
  /// step times the updates is the phase's hours), where the decode time goes, and the update.
  @Test func explainShowsTheRLBreakdown() throws {
    let output = try Self.run([
      "explain", "configs/deepseek-r1.yaml", "--phase", "r1-zero", "--format", "json",
    ])
    #expect(output.status == 0)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    let phase = try #require((json["phases"] as? [[String: Any]])?.first)
    #expect(phase["work"] as? String == "rl")
    let rl = try #require(phase["rl"] as? [String: Any])
    #expect(rl["rollouts"] as? Int == 650)
    #expect(rl["engines"] as? Int == 16)
    let seconds = try #require(rl["seconds_per_update"] as? [String: Double])
    let total = try #require(seconds["total"])
    let parts = ["prefill", "decode", "scoring", "update", "hand_over"].compactMap { seconds[$0] }
    #expect(parts.count == 5)
    #expect(abs(parts.reduce(0, +) - total) < 1e-9 * total)
    #expect(abs(total * 10_400 / 3600 - (phase["hours"] as? Double ?? 0)) < 1e-6)
    // Generation dominates, as RL systems report (80-90% of the time).
    #expect((seconds["decode"] ?? 0) / total > 0.8)
    let shares = try #require(rl["decode_share"] as? [String: Double])
    #expect(abs(shares.values.reduce(0, +) - 1) < 1e-9)
    #expect(phase["step_seconds"] != nil)

    let table = try Self.run(["explain", "configs/deepseek-r1.yaml", "--phase", "r1-zero"])
    #expect(table.status == 0)
    for text in ["rollout decode", "policy update", "weight hand-over", "per-step overhead"] {
      #expect(table.stdout.contains(text), "missing \(text)")
    }
  }

  /// `sweep`: a table with the marks, CSV with a row per point, and a bad key path as one line
  /// naming the flag, exit 2.
  @Test func sweepMarksPointsAndNamesBadFlags() throws {
    let output = try Self.run([
      "sweep", "configs/bench-reliability.yaml", "--set", "cluster.pools[h100].spare_nodes=0,4",
      "--replications", "20", "--format", "csv",
    ])
    #expect(output.status == 0)
    let lines = output.stdout.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[0].hasPrefix("point,cluster.pools[h100].spare_nodes,wall_clock_hours_mean"))
    #expect(lines[2].contains("fastest"))
    let bad = try Self.run([
      "sweep", "configs/bench-reliability.yaml", "--set", "cluster.pools[h10].spare_nodes=0",
    ])
    #expect(bad.status == 2)
    #expect(bad.stdout.isEmpty)
    #expect(
      bad.stderr
        == "clustersim: --set cluster.pools[h10].spare_nodes: cluster.pools[h10].spare_nodes: no item of "
        + "cluster.pools is named \"h10\"; did you mean \"h100\"? (names: h100)\n")
  }

  @Test func explainUnknownPhaseExitsTwo() throws {
    let output = try Self.run(["explain", "configs/deepseek-r1.yaml", "--phase", "r1-sfx"])
    #expect(output.status == 2)
    #expect(output.stdout.isEmpty)
    #expect(
      output.stderr
        == "clustersim: --phase: no phase named \"r1-sfx\"; did you mean \"r1-sft\"? "
        + "(phases: prep-30b, r1-zero, r1-cold-start, r1-rl-reasoning, sft-data, r1-sft, r1-rl-all)\n")
  }

  /// The acceptance check for failures: the reliability benchmark's JSON reports
  /// interruptions, lost work, goodput and a confidence interval of the mean.
  @Test func benchReliabilityJSONReportsFailures() throws {
    let output = try Self.run([
      "simulate", "configs/bench-reliability.yaml", "--format", "json", "--replications", "40",
    ])
    #expect(output.status == 0)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    let phase = try #require((json["phases"] as? [[String: Any]])?.first)
    func mean(_ key: String) -> Double {
      ((phase[key] as? [String: Any])?["mean"] as? Double) ?? .nan
    }
    // About 52 interruptions in 1,296 h on 2,048 GPUs at Llama 3's rates, a few more for the
    // longer wall-clock time.
    #expect(mean("interruptions") > 40 && mean("interruptions") < 70)
    #expect(mean("lost_work_hours") > 0)
    #expect(mean("goodput") > 0.9 && mean("goodput") < 1)
    #expect(phase["checkpoint_interval_hours"] as? Double == 0.5)
    let wall = try #require(phase["wall_clock_hours"] as? [String: Any])
    let ci = try #require(wall["mean_ci95"] as? [Double])
    let wallMean = try #require(wall["mean"] as? Double)
    #expect(ci.count == 2 && ci[0] < wallMean && wallMean < ci[1])
    let cost = try #require((json["total"] as? [String: Any])?["cost_usd"] as? [String: Any])
    #expect((cost["mean_ci95"] as? [Double])?.count == 2)
  }

  /// The acceptance check for scheduling: the DeepSeek-R1 program prints its cost
  /// breakdown and writes a trace (Chrome trace JSON) and a Gantt chart (SVG) of one replication.
  @Test func deepSeekR1TraceAndGantt() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let trace = directory.appendingPathComponent("r1.json").path
    let gantt = directory.appendingPathComponent("r1.svg").path
    let output = try Self.run([
      "simulate", "configs/deepseek-r1.yaml", "--replications", "20", "--trace", trace,
      "--gantt", gantt,
    ])
    #expect(output.status == 0)
    #expect(output.stdout.contains("Where the money went"))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: trace)))
        as? [String: Any])
    let events = try #require(json["traceEvents"] as? [[String: Any]])
    let phases = Set(events.filter { $0["cat"] as? String == "phase" }.compactMap { $0["name"] as? String })
    #expect(phases == Set(["prep-30b", "r1-zero", "r1-cold-start", "r1-rl-reasoning", "sft-data", "r1-sft", "r1-rl-all"]))
    let svg = try String(contentsOfFile: gantt, encoding: .utf8)
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.hasSuffix("</svg>\n"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["r1.json", "r1.svg"])
  }

  /// Threads and topologies from the command line and the environment: same output, and bad
  /// values exit 2 with what to give.
  @Test func threadsAndTopologies() throws {
    let one = try Self.run([
      "simulate", "configs/bench-reliability.yaml", "--replications", "200", "--threads", "1",
      "--format", "json",
    ])
    let many = try Self.run(
      [
        "simulate", "configs/bench-reliability.yaml", "--replications", "200", "--threads", "3",
        "--format", "json",
      ], environment: ["CLUSTERSIM_TOPOLOGY": "2x4"])
    #expect(one.status == 0 && many.status == 0)
    #expect(one.stdout == many.stdout)
    #expect(many.stderr.isEmpty)
    // --host-topology is the flag; --topology, its old name, still works, hidden from the help.
    let synthetic = try Self.run(["topology", "--host-topology", "2x4", "--format", "json"])
    #expect(synthetic.status == 0)
    #expect(synthetic.stdout.contains("\"source\": \"synthetic\""))
    let legacy = try Self.run(["topology", "--topology", "2x4", "--format", "json"])
    #expect(legacy.stdout == synthetic.stdout)
    let help = try Self.run(["simulate", "--help"])
    #expect(help.stdout.contains("--host-topology <host-topology>"))
    #expect(!help.stdout.contains("--topology"))
    // Defaults once: ArgumentParser's "(default: 0)", not also ours.
    #expect(help.stdout.contains("(default: 0)"))
    #expect(!help.stdout.contains("(default 0)"))
    let both = try Self.run(
      ["simulate", "configs/example.yaml", "--host-topology", "2x4", "--topology", "2x4"])
    #expect(both.status == 2)
    #expect(both.stderr == "clustersim: --topology is the old name of --host-topology; give --host-topology alone\n")
    let badFlag = try Self.run(["simulate", "configs/example.yaml", "--host-topology", "2y4"])
    #expect(badFlag.stderr.hasPrefix("clustersim: --host-topology: \"2y4\" is not a topology"))
    let bad = try Self.run(
      ["simulate", "configs/example.yaml"], environment: ["CLUSTERSIM_TOPOLOGY": "2y4"])
    #expect(bad.status == 2)
    #expect(
      bad.stderr
        == "clustersim: CLUSTERSIM_TOPOLOGY: \"2y4\" is not a topology; give NODESxCPUS, e.g. 2x4 (2 nodes of 4 CPUs)\n"
    )
    let zero = try Self.run(["simulate", "configs/example.yaml", "--threads", "0"])
    #expect(zero.status == 2)
    #expect(zero.stderr.hasPrefix("clustersim: --threads must be between 1 and 4096, got 0"))
  }

  /// A config with a training phase `train` on two H100 nodes and a phase `warmup` given as
  /// hours, written to a temporary directory.
  static func layoutsConfig(in directory: URL) throws -> String {
    try write(
      """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 2, price_per_gpu_hour: 3}
      phases:
        - name: warmup
          pool: h100
          gpus: 8
          hours: 1
        - name: train
          pool: h100
          gpus: 16
          depends_on: [warmup]
          model: {layers: 8, hidden: 1024, heads: 8, kv_heads: 2, vocab: 32000}
          seq_len: 2048
          global_batch: 64
          steps: 20000
          parallelism: {tp: 2, pp: 2}
      """, to: "layouts.yaml", in: directory)
  }

  /// `explain --phase train --layouts 3`: one block for the pool, three layouts ranked by step
  /// (non-decreasing, in the table and in the JSON), and the config's own layout for comparison.
  @Test func explainLayoutsRanksTheFastest() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = try Self.layoutsConfig(in: directory)
    let table = try Self.run(["explain", path, "--phase", "train", "--layouts", "3"])
    #expect(table.status == 0)
    #expect(table.stderr.isEmpty)
    let lines = table.stdout.split(separator: "\n")
    #expect(lines.first?.hasPrefix("phase train: 16 × H100-SXM5-80GB (pool h100), ") == true)
    let rows = lines.compactMap { $0.firstMatch(of: /^  ([0-9]+)  (tp .+?) +([0-9.]+) +[0-9.]+%/) }
    #expect(rows.map { Int($0.1) } == [1, 2, 3])
    let tableSteps = rows.compactMap { Double($0.3) }
    #expect(tableSteps.count == 3 && tableSteps == tableSteps.sorted())
    #expect(lines.contains { $0.hasPrefix("  config: tp 2 pp 2 dp 4 1f1b zero 1 ") })

    let json = try Self.run([
      "explain", path, "--phase", "train", "--layouts", "3", "--format", "json",
    ])
    #expect(json.status == 0)
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(document["schema"] as? String == "clustersim.layouts/1")
    #expect(document["phase"] as? String == "train")
    let pools = try #require(document["pools"] as? [[String: Any]])
    #expect(pools.map { $0["pool"] as? String } == ["h100"])
    let layouts = try #require(pools.first?["layouts"] as? [[String: Any]])
    #expect(layouts.map { $0["rank"] as? Int } == [1, 2, 3])
    let steps = layouts.compactMap { $0["step_seconds"] as? Double }
    #expect(steps.count == 3 && steps == steps.sorted())
    for layout in layouts {
      let sizes = ["tp", "pp", "cp", "dp"].compactMap { layout[$0] as? Int }
      #expect(sizes.reduce(1, *) == 16)
    }
    // The table rounds the JSON's steps to milliseconds.
    #expect(tableSteps == steps.map { ($0 * 1000).rounded() / 1000 })
  }

  @Test(arguments: [
    (["--phase", "train", "--layouts", "0"],
     "clustersim: --layouts must be between 1 and 1000, got 0\n"),
    (["--layouts", "3"],
     "clustersim: --layouts needs --phase NAME (the phase whose layouts to search)\n"),
  ])
  func explainLayoutsBadUsageExitsTwo(arguments: [String], message: String) throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = try Self.layoutsConfig(in: directory)
    let output = try Self.run(["explain", path] + arguments)
    #expect(output.status == 2)
    #expect(output.stdout.isEmpty)
    #expect(output.stderr.hasPrefix(message))
  }

  /// A config whose own layout cannot run (tp 3 does not divide the 8 heads): `simulate` exits 2,
  /// but `explain --layouts` still ranks the layouts that can, and says why the config's does not
  /// load.
  @Test func explainLayoutsRanksEvenWhenTheConfigsLayoutFails() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = try Self.layoutsConfig(in: directory)
    let text = try String(contentsOfFile: good, encoding: .utf8)
      .replacingOccurrences(of: "{tp: 2, pp: 2}", with: "{tp: 3, pp: 2}")
    let path = try Self.write(text, to: "bad-layout.yaml", in: directory)
    #expect(try Self.run(["simulate", path]).status == 2)
    let output = try Self.run(["explain", path, "--phase", "train", "--layouts", "2"])
    #expect(output.status == 0)
    let lines = output.stdout.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("  1  ") || $0.hasPrefix("  2  ") }.count == 2)
    #expect(lines.contains { $0.hasPrefix("  config: does not load: \(path):") })
  }

  @Test func explainLayoutsOfAPhaseGivenAsHoursExitsTwo() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = try Self.layoutsConfig(in: directory)
    let output = try Self.run(["explain", path, "--phase", "warmup", "--layouts", "3"])
    #expect(output.status == 2)
    #expect(output.stdout.isEmpty)
    #expect(
      output.stderr
        == "\(path):1:1: phases: phase \"warmup\" gives its work as hours; only a phase "
        + "described by its model (layers, hidden, ...) has layouts to search\n")
  }
}
