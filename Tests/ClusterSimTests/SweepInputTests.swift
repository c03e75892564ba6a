import Foundation
import Testing
import Yams

@testable import ClusterSim

/// Issue 25's sweep inputs: GPU ranges that would overflow, grids refused from their sizes,
/// deep and hostile key paths, every config key reachable (numeric and dotted names, catalog
/// chips), and paired axes.
@Suite struct SweepInputTests {
  static let config = """
    cluster:
      pools:
        - {name: h100, chip: H100-SXM5-80GB, nodes: 16, price_per_gpu_hour: 3}
    phases:
      - {name: "1", pool: h100, gpus: 64, gpu_hours: 1000}
      - {name: "0", pool: h100, gpus: 64, gpu_hours: 2000, depends_on: ["1"]}
      - {name: pre.train, pool: h100, gpus: 64, gpu_hours: 500, depends_on: ["0"]}
      - {name: "a]b", pool: h100, gpus: 64, gpu_hours: 500, depends_on: [pre.train]}
    simulation:
      replications: 2
    """

  static func sweep(
    phase: String? = nil, gpus: [Int]? = nil, _ sets: [String] = [], together: [String] = []
  ) throws -> Sweep {
    let root = try ConfigLoader.compose(yaml: config, file: "configs/x.yaml")
    var axes = try sets.map { text throws(SweepError) in try SweepAxis(setting: text) }
    if !together.isEmpty { axes += try SweepAxis.together(together) }
    return try Sweep(root: root, file: "configs/x.yaml", phase: phase, gpus: gpus, axes: axes)
  }

  static func error(_ body: () throws -> Void) -> String {
    do {
      try body()
      return ""
    } catch { return "\(error)" }
  }

  /// Ranges whose steps pass Int.max are refused, located, never a trap; bounds hold at the edges.
  @Test func gpuRangesNeverOverflow() throws {
    #expect(try SweepAxis.gpuCounts("1...100000000x100000000") == [1, 100_000_000])
    #expect(try SweepAxis.gpuCounts("99999999...100000000+100000000") == [99_999_999])
    #expect(try SweepAxis.gpuCounts("50000000...100000000x3") == [50_000_000])
    let bound =
      "expected FIRST...LASTxFACTOR or FIRST...LAST+STEP with whole numbers, "
      + "1 ≤ FIRST ≤ LAST ≤ 100,000,000, a factor of at least 2 or a step of at least 1"
    #expect(
      Self.error { _ = try SweepAxis.gpuCounts("1...9223372036854775807x2") }
        == "--gpus: \"1...9223372036854775807x2\": \(bound)")
    #expect(
      Self.error { _ = try SweepAxis.gpuCounts("9223372036854775800...9223372036854775807+5") }
        == "--gpus: \"9223372036854775800...922337203685477580…\": \(bound)")
    #expect(
      Self.error { _ = try SweepAxis.gpuCounts("1...64x9223372036854775807") }
        == "--gpus: \"1...64x9223372036854775807\": \(bound)")
    #expect(
      Self.error { _ = try SweepAxis.gpuCounts("9223372036854775807") }
        == "--gpus: \"9223372036854775807\" is not a whole number of GPUs from 1 to 100,000,000")
    #expect(
      Self.error { _ = try SweepAxis.gpuCounts("256..4096x2") }
        == "--gpus: \"256..4096x2\": a range is written with three dots and a step, "
        + "FIRST...LASTxFACTOR or FIRST...LAST+STEP, e.g. 256...4096x2 (times 2) or 256...2048+256 (plus 256)"
    )
    #expect(
      Self.error { _ = try SweepAxis.gpuCounts("1...10000+1,5") }
        == "--gpus: more than 10,000 GPU counts")
  }

  /// The same range in a config's sweep block is a located config error for every command that
  /// reads the config.
  @Test func gpuOverflowInTheSweepBlockIsLocated() {
    let yaml = Self.config + "\nsweep:\n  phase: \"0\"\n  gpus: 1...9223372036854775807x2\n"
    do {
      _ = try ConfigLoader.parse(yaml: yaml, file: "configs/x.yaml")
      Issue.record("loaded")
    } catch {
      #expect(
        error.issues.map(\.description) == [
          "configs/x.yaml:13:9: sweep.gpus: \"1...9223372036854775807x2\": expected FIRST...LASTxFACTOR or "
            + "FIRST...LAST+STEP with whole numbers, 1 ≤ FIRST ≤ LAST ≤ 100,000,000, a factor of at least 2 "
            + "or a step of at least 1"
        ])
    }
  }

  /// The cap comes from the axis sizes: 5 axes of 100 values (10^10 points, about a terabyte if
  /// built) and 5 of 10,000 (10^20, past Int.max) are refused without building anything.
  @Test func gridCapIsCountedBeforeTheGridIsBuilt() throws {
    let hundred = (1...100).map(String.init).joined(separator: ",")
    let sets = Array(repeating: "simulation.seed=\(hundred)", count: 5)
    #expect(
      Self.error { _ = try Self.sweep(sets) }
        == "--set: the grid would have more than 10,000 points (100 × 100 × 100 × 100 × 100); "
        + "sweep fewer values, or run several sweeps")
    let tenThousand = (1...10_000).map(String.init).joined(separator: ",")
    let axes = try (0..<5).map { _ throws(SweepError) in
      try SweepAxis(setting: "simulation.seed=\(tenThousand)")
    }
    #expect(throws: SweepError.self) { try SweepAxis.pointCount(gpus: 10_000, axes: axes) }
    #expect(try SweepAxis.pointCount(gpus: 4, axes: Array(axes.prefix(0))) == 4)
    // Exactly at the cap is allowed, and counted without the grid.
    let hundredAxis = try SweepAxis(setting: "simulation.seed=\(hundred)")
    #expect(try SweepAxis.pointCount(gpus: nil, axes: [hundredAxis, hundredAxis]) == 10_000)
    #expect(throws: SweepError.self) {
      try SweepAxis.pointCount(gpus: 2, axes: [hundredAxis, hundredAxis])
    }
  }

  /// A 20,000-step key is refused in one bounded line; the deepest key allowed is set without
  /// recursion; a value with a line break does not split the message.
  @Test func deepKeysAndEchoedInputAreBounded() throws {
    let deep = "simulation." + String(repeating: "x.", count: 20_000) + "y"
    let message = Self.error { _ = try SweepAxis(setting: deep + "=1") }
    #expect(message.hasPrefix("--set: \"simulation.x.x.x.x.x."))
    #expect(message.contains("longer than 1000 characters"))
    #expect(message.count < 400 && !message.contains("\n"))
    let many = String(repeating: "a.", count: 100) + "b"
    #expect(
      Self.error { _ = try ConfigPath(many, flag: "--set") }.contains(
        "more than 64 keys and selectors"))
    // 64 steps: written, and the config then refuses the key it does not know, in one line.
    let sixtyFour = "simulation." + Array(repeating: "x", count: 63).joined(separator: ".")
    let path = try ConfigPath(sixtyFour, flag: "--set")
    #expect(path.steps.count == 64)
    let root = try ConfigLoader.compose(yaml: Self.config, file: "x")
    var node = try path.setting("1", in: root, flag: "--set")
    for step in path.steps {
      guard case .key(let key) = step, let child = node.mapping?[Node(key)] else { break }
      node = child
    }
    #expect(node == Node("1"))
    let newline = Self.error {
      _ = try Self.sweep(["cluster.pools[h100].price_per_gpu_hour=1.5\n2"])
    }
    #expect(
      newline
        == "--set cluster.pools[h100].price_per_gpu_hour: values cannot hold a line break or control "
        + "character (U+000A): \"1.5\\n2\"")
    // A long value refused by the config is excerpted.
    let long = String(repeating: "9", count: 5_000)
    let refused = Self.error { _ = try Self.sweep(["cluster.pools[h100].nodes=\(long)"]) }
    #expect(refused.count < 700 && !refused.contains("\n"))
    #expect(
      refused.hasPrefix(
        "--set cluster.pools[h100].nodes: 9999999999999999999999999999999999999999…: "))
  }

  /// The same deep key in a config's `sweep.set` is a located error, not a crash.
  @Test func deepKeyInTheSweepBlockIsLocated() {
    let deep = "simulation." + String(repeating: "x.", count: 20_000) + "y"
    let yaml = Self.config + "\nsweep:\n  set: [\"\(deep)=1\"]\n"
    do {
      _ = try ConfigLoader.parse(yaml: yaml, file: "configs/x.yaml")
      Issue.record("loaded")
    } catch {
      let lines = error.issues.map(\.description)
      #expect(lines.count == 1)
      #expect(
        lines.first?.hasPrefix("configs/x.yaml:12:9: sweep.set[0]: \"simulation.x.x.x") == true,
        "\(lines)")
      #expect((lines.first?.count ?? 0) < 600)
    }
  }

  /// `--phase 0` sizes the phase named "0", not the item at position 0; a name with a dot or a
  /// `]` is swept by its bracketed, quoted form; every path reads back as written.
  @Test func everyPhaseNameIsReachable() throws {
    for name in ["0", "1", "pre.train", "a]b"] {
      let sweep = try Self.sweep(phase: name, gpus: [64, 128])
      let document = try sweep.document(sweep.points[1]).root
      let program = try ConfigLoader.parsePlan(root: document, file: "x", planning: false).program
      #expect(
        program.phases.map(\.gpus) == ["1", "0", "pre.train", "a]b"].map { $0 == name ? 128 : 64 })
    }
    let result = try Self.sweep(phase: "0", gpus: [64, 128]).run(replications: 1)
    // 2,000 GPU-hours on 64 then 128 GPUs: 31.25 and 15.625 hours (phase "1" would give 15.6, 7.8).
    #expect(result.points.map { $0.measures?.wallClockHours.mean } == [31.25, 15.625])
    let paths: [(String, [ConfigPath.Step])] = [
      ("phases[\"0\"].gpus", [.key("phases"), .named("0"), .key("gpus")]),
      ("phases[0].gpus", [.key("phases"), .index(0), .key("gpus")]),
      ("phases[pre.train].gpus", [.key("phases"), .named("pre.train"), .key("gpus")]),
      ("phases[\"a]b\"].gpus", [.key("phases"), .named("a]b"), .key("gpus")]),
      ("phases[\"q\\\"x\"].gpus", [.key("phases"), .named("q\"x"), .key("gpus")]),
      (
        "chips.H100-SXM5-80GB.memory_gb",
        [.key("chips"), .key("H100-SXM5-80GB"), .key("memory_gb")]
      ),
      (
        "chips[\"H100-SXM5-80GB\"].memory_gb",
        [.key("chips"), .named("H100-SXM5-80GB"), .key("memory_gb")]
      ),
      ("chips.\"My chip\".memory_gb", [.key("chips"), .key("My chip"), .key("memory_gb")]),
    ]
    for (text, steps) in paths {
      let path = try ConfigPath(text, flag: "--set")
      #expect(path.steps == steps, "\(text)")
      #expect(try ConfigPath(path.description, flag: "--set") == path, "\(text) → \(path)")
    }
    let sized = try Self.sweep(["phases[\"a]b\"].gpus=32,128"]).run(replications: 1)
    #expect(
      sized.points.map { $0.measures?.wallClockHours.mean } == [
        31.25 + 15.625 + 7.8125 + 15.625, 31.25 + 15.625 + 7.8125 + 3.90625,
      ])
    for bad in ["phases[\"0].gpus", "phases[\"0\"x].gpus", ".a", "a.", "a..b", "a[b", "\"a"] {
      #expect(throws: SweepError.self, "\(bad)") { try ConfigPath(bad, flag: "--set") }
    }
  }

  /// A catalog chip's constant is reached by its name with hyphens, with no `chips:` block in the
  /// config: a planner can sweep it.
  @Test func catalogChipConstantsCanBeSwept() throws {
    let yaml = """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 2, price_per_gpu_hour: 2.49}
      phases:
        - name: grpo
          kind: rl
          pool: h100
          gpus: 16
          precision: bf16
          model: {layers: 16, hidden: 2048, heads: 16, kv_heads: 8, ffn: 8192, vocab: 32000}
          steps: 20
          prompts_per_step: 16
          samples_per_prompt: 4
          minibatches_per_rollout: 1
          prompt_tokens: 300
          generated_tokens: {mean: 1024, cv: 0.6, max: 4096}
          inference: {tp: 1}
          parallelism: auto
      simulation:
        replications: 1
      """
    let root = try ConfigLoader.compose(yaml: yaml, file: "x")
    let axis = try SweepAxis(
      setting: "chips.H100-SXM5-80GB.efficiency.decode_layer_overhead_us=0,150")
    let sweep = try Sweep(root: root, file: "x", phase: nil, gpus: nil, axes: [axis])
    let result = try sweep.run(replications: 1)
    let hours = result.points.compactMap { $0.measures?.wallClockHours.mean }
    #expect(hours.count == 2)
    // More overhead per decoded layer can only slow decoding down.
    #expect(hours[1] > hours[0])
  }

  /// Paired axes move together: (1,000 GPU-hours at $3, 2,000 at $1) is two points, the second
  /// the cheaper ($2,000 against $3,000), where the product's cheapest is 1,000 at $1 ($1,000).
  @Test func pairedAxesMoveTogether() throws {
    let keys = ["phases[\"1\"].gpu_hours=1000,2000", "cluster.pools[0].price_per_gpu_hour=3,1"]
    let phase = "1"
    let paired = try Self.sweep(phase: phase, together: keys)
    #expect(paired.points.map(\.values) == [["1000", "3"], ["2000", "1"]])
    let pairedResult = try paired.run(replications: 1)
    #expect(pairedResult.points.map { $0.measures?.costUSD.mean } == [3_000, 2_000])
    #expect(pairedResult.cheapest.map { pairedResult.points[$0].point.values } == ["2000", "1"])
    let product = try Self.sweep(phase: phase, keys).run(replications: 1)
    #expect(
      product.points.map(\.point.values) == [
        ["1000", "3"], ["1000", "1"], ["2000", "3"], ["2000", "1"],
      ])
    #expect(product.points.map { $0.measures?.costUSD.mean } == [3_000, 1_000, 6_000, 2_000])
    #expect(product.cheapest.map { product.points[$0].point.values } == ["1000", "1"])
    // With GPUs outermost and a product axis: 2 × 2 × 2 points, the pair side by side.
    let mixed = try Self.sweep(
      phase: phase, gpus: [64, 128], ["simulation.seed=1,2"], together: keys)
    #expect(mixed.pointCount == 8 && mixed.points.count == 8)
    #expect(mixed.points[3] == Sweep.Point(gpus: 64, values: ["2", "2000", "1"]))
    // The table, CSV and JSON show each paired value per point.
    let csv = SweepReport(pairedResult).render(.csv)
    #expect(csv.contains("\n1,1000,3,"))
    #expect(csv.contains("\n2,2000,1,"))
    #expect(
      Self.error {
        _ = try Self.sweep(together: [keys[0], "cluster.pools[0].price_per_gpu_hour=3,1,2"])
      }
        == "--set-together cluster.pools[0].price_per_gpu_hour: 3 values, but phases[\"1\"].gpu_hours has 2: "
        + "paired keys need one value each per point")
    #expect(
      Self.error { _ = try Self.sweep(together: [keys[0]]) }.hasPrefix(
        "--set-together: pairs two or more"))
  }

  /// `check` runs a config's paired sweep: the cheapest of (1,000 GPU-hours at $3, 2,000 at $1)
  /// is the second, $2,000, where the product's would be $1,000.
  @Test func checkHoldsAPairedSweepToItsExpectations() throws {
    let text = """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 16, price_per_gpu_hour: 3}
      phases:
        - {name: train, pool: h100, gpus: 64, gpu_hours: 1000}
      simulation: {replications: 2}
      sweep:
        phase: train
        together: ["phases[train].gpu_hours=1000,2000", "cluster.pools[0].price_per_gpu_hour=3,1"]
      expect:
        - sweep.cheapest.cost_usd.mean: == 2000
        - sweep.points[1].cost_usd.mean: == 3000
        - sweep.fastest.wall_clock_hours.mean: == 15.625
      """
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "clustersim-paired-check-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("paired.yaml").path
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    let check = try #require(try ConfigCheck.run(path: file))
    #expect(
      check.outcomes.map(\.status) == [.holds, .holds, .holds], "\(check.outcomes.map(\.actual))")
  }

  /// A key swept twice, or the GPUs `--gpus` sets swept by `--set` as well, is refused: the later
  /// value would win at every point without a word.
  @Test func aKeySweptTwiceIsRefused() throws {
    #expect(
      Self.error { _ = try Self.sweep(["simulation.seed=1,2", "simulation.seed=3,4"]) }
        == "--set simulation.seed: the key of simulation.seed again: give each key's values once")
    #expect(
      Self.error {
        _ = try Self.sweep(
          ["simulation.seed=1,2"], together: ["simulation.seed=3,4", "simulation.replications=1,2"])
      }
        == "--set-together simulation.seed: the key of simulation.seed again: give each key's values once"
    )
    for key in ["phases[\"0\"].gpus", "phases[1].gpus"] {
      #expect(
        Self.error { _ = try Self.sweep(phase: "0", gpus: [64], ["\(key)=8,16"]) }
          == "--set \(key): --gpus sets this phase's GPUs: give its counts to --gpus only")
    }
    // Another phase's GPUs may be swept beside --gpus.
    #expect(try Self.sweep(phase: "0", gpus: [64], ["phases[0].gpus=8,16"]).pointCount == 2)
  }

  /// A config's `sweep.together` takes one group or a list of groups, checked as the flag is.
  @Test func pairedAxesInTheSweepBlock() throws {
    let one =
      Self.config + """

        sweep:
          together: ["phases[\\"1\\"].gpu_hours=1000,2000", "cluster.pools[0].price_per_gpu_hour=3,1"]
        """
    let settings = try #require(try ConfigLoader.parse(yaml: one, file: "x").sweep)
    #expect(settings.axes.map(\.movesWithPrevious) == [false, true])
    #expect(settings.axes.map(\.values) == [["1000", "2000"], ["3", "1"]])
    let two =
      Self.config + """

        sweep:
          together:
            - ["phases[\\"1\\"].gpu_hours=1000,2000", "cluster.pools[0].price_per_gpu_hour=3,1"]
            - ["simulation.seed=1,2,3", "simulation.replications=1,2,3"]
        """
    let groups = try #require(try ConfigLoader.parse(yaml: two, file: "x").sweep)
    #expect(SweepAxis.dimensions(groups.axes).map(\.count) == [2, 2])
    #expect(try SweepAxis.pointCount(gpus: nil, axes: groups.axes) == 6)
    let uneven =
      Self.config + """

        sweep:
          together: ["simulation.seed=1,2", "simulation.replications=1"]
        """
    do {
      _ = try ConfigLoader.parse(yaml: uneven, file: "configs/x.yaml")
      Issue.record("loaded")
    } catch {
      #expect(
        error.issues.map(\.description) == [
          "configs/x.yaml:12:13: sweep.together: simulation.replications: 1 values, but "
            + "simulation.seed has 2: paired keys need one value each per point"
        ])
    }
  }
}
