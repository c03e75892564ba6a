import Foundation
import Testing

/// Issue 25's sweep and merge reproducers, run through the binary: each ends in exit 0 or one
/// bounded error line with exit 2, never a crash. (The error's leading word is the CLI's; these
/// tests read what follows it.)
@Suite struct SweepInputCLITests {
  /// One line, exit 2, holding `text`, at most `limit` characters, no escape character.
  static func expectOneLineError(
    _ output: CLITests.Output, _ text: String, limit: Int = 800,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(output.status == 2, "\(output.stderr)", sourceLocation: sourceLocation)
    #expect(output.stderr.hasSuffix("\n"), sourceLocation: sourceLocation)
    #expect(
      output.stderr.dropLast().contains("\n") == false, "\(output.stderr)",
      sourceLocation: sourceLocation)
    #expect(output.stderr.contains(text), "\(output.stderr)", sourceLocation: sourceLocation)
    #expect(output.stderr.count <= limit, sourceLocation: sourceLocation)
    #expect(
      !output.stderr.contains("\u{1b}") && !output.stdout.contains("\u{1b}"),
      sourceLocation: sourceLocation)
  }

  /// sweep-gpus-range-overflow-crash.sh: ranges past Int.max, through sweep and report --sweep.
  @Test func gpuRangesPastIntMaxAreRefused() throws {
    for range in ["1...9223372036854775807x2", "9223372036854775800...9223372036854775807+5"] {
      let sweep = try CLITests.run([
        "sweep", "configs/example.yaml", "--phase", "finetune", "--gpus", range, "--replications",
        "1",
      ])
      Self.expectOneLineError(sweep, "--gpus: \"")
      let folder = try CLITests.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: folder) }
      let html = folder.appendingPathComponent("r.html").path
      let report = try CLITests.run([
        "report", "configs/example.yaml", "--html", html, "--replications", "1",
        "--sweep", "--phase finetune --gpus \(range)",
      ])
      Self.expectOneLineError(report, "--gpus: \"")
      #expect(!FileManager.default.fileExists(atPath: html))
    }
    let dots = try CLITests.run([
      "sweep", "configs/example.yaml", "--phase", "finetune", "--gpus", "256..4096x2",
    ])
    Self.expectOneLineError(dots, "a range is written with three dots and a step")
  }

  /// sweep-gpus-overflow-in-config-crashes-simulate.yaml: the same in a config's sweep block, for
  /// simulate, check and report.
  @Test func gpuOverflowInTheConfigIsLocatedForEveryCommand() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = try CLITests.write(
      """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 16, price_per_gpu_hour: 2.99}
      phases:
        - {name: finetune, pool: h100, gpus: 64, gpu_hours: 2000}
      sweep:
        phase: finetune
        gpus: 1...9223372036854775807x2
      expect:
        - sweep.cheapest.gpus: == 64

      """, to: "overflow.yaml", in: folder)
    let html = folder.appendingPathComponent("r.html").path
    for arguments in [
      ["simulate", config], ["check", config], ["report", config, "--html", html],
    ] {
      let output = try CLITests.run(arguments)
      Self.expectOneLineError(
        output, "overflow.yaml:8:9: sweep.gpus: \"1...9223372036854775807x2\"")
    }
  }

  /// sweep-set-deep-key-stack-overflow.sh and sweep-set-key-echoed-and-newline.sh.
  @Test func deepKeysAndNewlinesGiveOneBoundedLine() throws {
    let deep = "simulation." + String(repeating: "x.", count: 20_000) + "y"
    let sweep = try CLITests.run([
      "sweep", "configs/example.yaml", "--replications", "1", "--set", deep + "=1",
    ])
    Self.expectOneLineError(sweep, "longer than 1000 characters")
    let ten = String(repeating: "x.", count: 10_000) + "y"
    Self.expectOneLineError(
      try CLITests.run([
        "sweep", "configs/example.yaml", "--replications", "1", "--set", ten + "=1",
      ]),
      "--set: \"x.x.x.")
    let newline = try CLITests.run([
      "sweep", "configs/example.yaml", "--replications", "1", "--set",
      "cluster.pools[h100].price_per_gpu_hour=1.5\n2",
    ])
    Self.expectOneLineError(
      newline, "values cannot hold a line break or control character (U+000A): \"1.5\\n2\"")
    // The same deep key in a config's sweep.set: check refuses it, located.
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var base = try String(
      contentsOfFile: "\(CLITests.repository.path)/configs/example.yaml", encoding: .utf8)
    if let expect = base.range(of: "expect:\n") { base = String(base[..<expect.lowerBound]) }
    let config = try CLITests.write(
      base
        + "sweep:\n  phase: finetune\n  gpus: 64,128\n  set: [\"\(deep)=1\"]\nexpect:\n  - sweep.cheapest.gpus: == 64\n",
      to: "deep.yaml", in: folder)
    Self.expectOneLineError(
      try CLITests.run(["check", config]), "sweep.set[0]: \"simulation.x.x.x")
  }

  /// sweep-grid-materialised-before-cap.sh: 5 axes of 100 values (10^10 points) are refused from
  /// the sizes; building the grid first would exhaust the machine.
  @Test func gridCapBeforeTheGrid() throws {
    let values = (1...100).map(String.init).joined(separator: ",")
    let sets = (0..<5).flatMap { _ in ["--set", "simulation.seed=\(values)"] }
    let output = try CLITests.run(["sweep", "configs/example.yaml", "--replications", "1"] + sets)
    Self.expectOneLineError(
      output, "--set: the grid would have more than 10,000 points (100 × 100 × 100 × 100 × 100)")
  }

  /// sweep-numeric-phase-name-sizes-wrong-phase.yaml and newcomer-set-chip-name.yaml: the phase
  /// named "0" is the one sized; a catalog chip's constant is swept by its name.
  @Test func numericPhaseNamesAndCatalogChips() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = try CLITests.write(
      """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 64, price_per_gpu_hour: 2.99}
      phases:
        - {name: "1", pool: h100, gpus: 64, gpu_hours: 1000}
        - {name: "0", pool: h100, gpus: 64, depends_on: ["1"], gpu_hours: 2000}
        - {name: pre.train, pool: h100, gpus: 64, depends_on: ["0"], gpu_hours: 500}
      simulation:
        replications: 2

      """, to: "numeric.yaml", in: folder)
    let zero = try CLITests.run([
      "sweep", config, "--phase", "0", "--gpus", "64,128,256", "--replications", "1", "--format",
      "csv",
    ])
    #expect(zero.status == 0, "\(zero.stderr)")
    // Phase "0" has 2,000 GPU-hours: 31.25, 15.625 and 7.8125 hours (phase "1" would halve them).
    let hours = zero.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[2] }
    #expect(hours == ["31.25", "15.625", "7.8125"])
    let dotted = try CLITests.run([
      "sweep", config, "--set", "phases[\"pre.train\"].gpus=64,128", "--replications", "1",
      "--format", "csv",
    ])
    #expect(dotted.status == 0, "\(dotted.stderr)")
    #expect(
      dotted.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[2] } == [
        "54.6875", "50.78125",
      ])
    let chip = try CLITests.run([
      "sweep", "configs/example.yaml", "--phase", "finetune", "--replications", "1",
      "--set", "chips.H100-SXM5-80GB.efficiency.decode_layer_overhead_us=0,150",
    ])
    #expect(chip.status == 0, "\(chip.stderr)")
    #expect(chip.stdout.contains("2 points"))
  }

  /// Paired axes through sweep and report --sweep.
  @Test func setTogetherPairsValues() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = try CLITests.write(
      """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 16, price_per_gpu_hour: 3}
      phases:
        - {name: train, pool: h100, gpus: 64, gpu_hours: 1000}
      simulation:
        replications: 2

      """, to: "pair.yaml", in: folder)
    let pair = ["phases[train].gpu_hours=1000,2000", "cluster.pools[0].price_per_gpu_hour=3,1"]
    let sweep = try CLITests.run(["sweep", config, "--format", "csv", "--set-together"] + pair)
    #expect(sweep.status == 0, "\(sweep.stderr)")
    let rows = sweep.stdout.split(separator: "\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
    }
    #expect(
      rows.map { [$0[1], $0[2], $0[10]] } == [["1000", "3", "3000.0"], ["2000", "1", "2000.0"]])
    #expect(rows.map { $0.last } == ["", ""] && rows[1].contains("cheapest pareto"))
    let uneven = try CLITests.run([
      "sweep", config, "--set-together", pair[0], "cluster.pools[0].price_per_gpu_hour=3",
    ])
    Self.expectOneLineError(
      uneven,
      "--set-together cluster.pools[0].price_per_gpu_hour: 1 values, but phases[train].gpu_hours has 2"
    )
    let html = folder.appendingPathComponent("r.html").path
    let report = try CLITests.run([
      "report", config, "--html", html, "--replications", "1",
      "--sweep", "--set-together '\(pair[0])' '\(pair[1])'",
    ])
    #expect(report.status == 0, "\(report.stderr)")
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("cluster.pools[0].price_per_gpu_hour"))
  }

  /// merge-hostile-shards-crash.sh and merge-accepts-edited-parts.sh through the binary.
  @Test func mergeRefusesHostileParts() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var parts: [String] = []
    for shard in 0..<2 {
      let path = folder.appendingPathComponent("part-\(shard).json").path
      let output = try CLITests.run([
        "sweep", "configs/example.yaml", "--phase", "pretrain-7b", "--gpus", "64,128",
        "--replications", "2",
        "--shard", "\(shard)/2", "--output", path,
      ])
      #expect(output.status == 0, "\(output.stderr)")
      parts.append(try String(contentsOfFile: path, encoding: .utf8))
    }
    let edits: [(String, (String) -> String, String)] = [
      (
        "-1", { $0.replacingOccurrences(of: "\"shards\" : 2", with: "\"shards\" : -1") },
        "origin.shards: -1"
      ),
      (
        "1e15",
        { $0.replacingOccurrences(of: "\"shards\" : 2", with: "\"shards\" : 1000000000000000") },
        "origin.shards: 1000000000000000"
      ),
      (
        "version", { $0.replacingOccurrences(of: "\"version\" : \"", with: "\"version\" : \"9.") },
        "origin.version: written by ClusterSim 9."
      ),
      (
        "esc",
        {
          $0.replacingOccurrences(
            of: "\"config\" : \"", with: "\"config\" : \"\\u001b[2J\\u001b[31mfake\\n")
        }, "origin.config: holds a control character (U+001B)"
      ),
    ]
    for (name, edit, expected) in edits {
      let paths = try parts.enumerated().map { shard, text in
        try CLITests.write(edit(text), to: "\(name)-\(shard).json", in: folder)
      }
      let output = try CLITests.run(["merge"] + paths)
      Self.expectOneLineError(output, "\(name)-0.json: \(expected)")
    }
  }
}
