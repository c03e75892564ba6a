import Foundation
import Testing

@testable import ClusterSim

/// The planner: `interval: auto` resolved per pool, `parallelism: auto` and `auto` per key, and
/// the layouts and GPU counts its errors propose. Line numbers are those of the configs here.
@Suite struct PlannerTests: ConfigCases {
  /// Two pools of 2 nodes failing at different rates; `train` may run on either, `blocker` holds
  /// the A100s first so that `train` runs on the H100s.
  static let valid = """
    cluster:
      pools:
        - name: a100
          chip: A100-SXM4-80GB
          nodes: 2
          price_per_gpu_hour: 2
          failures:
            components:
              - {name: host, mtbf_hours: 5000, repair_hours: 12}
        - name: h100
          chip: H100-SXM5-80GB
          nodes: 2
          price_per_gpu_hour: 3
          failures:
            components:
              - {name: host, per_node_day: 0.0012, repair_hours: 12}
    phases:
      - name: blocker
        pool: a100
        gpus: 16
        hours: 100
      - name: train
        pools: [a100, h100]
        gpus: 16
        hours: 10.5
        checkpoint: {write_minutes: 0.003, restore_minutes: 0, interval: auto}
    simulation: {seed: 7, replications: 4}
    """

  /// Daly (FGCS 2006) eq. 37, τ = √(2δM)·[1 + ⅓√(δ/2M) + (1/9)(δ/2M)] − δ, with δ = 0.003 min =
  /// 5e-5 h and M = 1/(nodes × rate per node-hour), 2 nodes:
  /// - a100: 1/5000 per node-hour, M = 2500 h, √(2δM) = √0.25 = 0.5, δ/2M = 1e-8:
  ///   τ = 0.5·(1 + 1e-4/3 + 1e-8/9) − 5e-5 = 0.499966667222…
  /// - h100: 0.0012 per node-day = 5e-5 per node-hour, M = 1e4 h, √(2δM) = 1, δ/2M = 2.5e-9:
  ///   τ = 1 + 5e-5/3 + 2.5e-9/9 − 5e-5 = 0.999966666944…
  static let a100Interval = 0.5 * (1 + 1e-4 / 3 + 1e-8 / 9) - 5e-5
  static let h100Interval = 1 + 2.5e-9.squareRoot() / 3 + 2.5e-9 / 9 - 5e-5

  @Test func autoIntervalIsDalysOptimumOfEachPool() throws {
    let plan = try ConfigLoader.parsePlan(yaml: Self.valid, file: "configs/x.yaml")
    let train = plan.phases[1]
    #expect(train.map(\.pool) == [0, 1])
    #expect(train.map(\.nodes) == [2, 2])
    #expect(abs(train[0].mtbfHours - 2500) < 1e-9)
    #expect(abs(train[1].mtbfHours - 10_000) < 1e-9)
    #expect(abs(Self.a100Interval - 0.499966667222) < 1e-12)
    #expect(abs(Self.h100Interval - 0.999966666944) < 1e-12)
    #expect(train.allSatisfy { $0.checkpoint.intervalIsAuto })
    #expect(abs((train[0].checkpoint.intervalHours ?? 0) - Self.a100Interval) < 1e-12)
    #expect(abs((train[1].checkpoint.intervalHours ?? 0) - Self.h100Interval) < 1e-12)
  }

  /// `train` runs on the H100s (the A100s are busy for 100 h) and writes ⌈10.5/τ⌉ − 1 = 10
  /// checkpoints of 5e-5 h at the H100 interval; the A100 interval would give ⌈21.0014⌉ − 1 = 21.
  /// With an interruption every 1e4 h, the seeded replications see none.
  @Test func simulationCheckpointsAtTheIntervalOfThePoolItRunsOn() throws {
    let result = try Simulation.run(
      try ConfigLoader.parse(yaml: Self.valid, file: "configs/x.yaml"))
    let train = result.phases[1]
    #expect(train.runsByPool == [0, 4])
    #expect(train.interruptions.max == 0)
    #expect((10.5 / Self.h100Interval).rounded(.up) - 1 == 10)
    #expect((10.5 / Self.a100Interval).rounded(.up) - 1 == 21)
    #expect(abs(train.checkpointHours.mean - 10 * 5e-5) < 1e-12)
    #expect(abs(train.checkpointHours.max - 10 * 5e-5) < 1e-12)
    #expect(abs(train.wallClockHours.mean - (10.5 + 10 * 5e-5)) < 1e-9)
  }

  /// A training phase on the two H100 nodes of `h100`.
  static func training(_ parallelism: String, gpus: Int = 16, nodes: Int = 2) -> String {
    """
    cluster:
      pools:
        - {name: h100, chip: H100-SXM5-80GB, nodes: \(nodes), price_per_gpu_hour: 3}
    phases:
      - name: train
        pool: h100
        gpus: \(gpus)
        model: {layers: 8, hidden: 1024, heads: 8, kv_heads: 2, vocab: 32000}
        seq_len: 2048
        global_batch: 64
        steps: 20000
        parallelism: \(parallelism)
    simulation: {replications: 2}
    """
  }

  @Test func parallelismAutoLoadsPlansAndSimulates() throws {
    let plan = try ConfigLoader.parsePlan(yaml: Self.training("auto"), file: "configs/x.yaml")
    guard case .training(let spec) = plan.program.phases[0].work else {
      Issue.record("expected a training phase")
      return
    }
    #expect(spec.layout == .auto)
    let planned = plan.phases[0][0]
    let step = try #require(planned.training)
    let h100 = plan.program.pools[0]
    let search = LayoutSearch(
      spec: spec, precision: .bf16, chip: h100.chip, gpusPerNode: 8, gpus: 16
    ).run(keep: 1)
    let best = try #require(search.ranked.first)
    #expect(step.job.layout == best.layout)
    #expect(step.estimate == best.estimate)
    #expect(step.layoutsSearched == search.searched)
    #expect(step.job.layout.gpus == 16)
    #expect(abs(planned.workHours - 20_000 * step.estimate.stepSeconds / 3600) < 1e-12)
    let result = try Simulation.run(plan)
    #expect(result.replications == 2)
    // Nothing fails: the wall clock is the work.
    #expect(abs(result.phases[0].wallClockHours.mean - planned.workHours) < 1e-9)
  }

  /// `tp: auto` with pp 2 searches tp alone: tp 1 and 2 priced, 4 and 8 (the rest of a node)
  /// rejected for the 2 key/value heads, 4 candidates; the rest stay as given or default (ZeRO 1,
  /// no recomputation, 1F1B, no sequence parallelism), and the step is the faster of tp 1 and 2
  /// as the step-time model prices them.
  @Test func tensorAutoSearchesOnlyTensorParallelism() throws {
    let plan = try ConfigLoader.parsePlan(
      yaml: Self.training("{tp: auto, pp: 2}"), file: "configs/x.yaml")
    guard case .training(let spec) = plan.program.phases[0].work else {
      Issue.record("expected a training phase")
      return
    }
    var expected = LayoutSpec(pipeline: 2)
    expected.tensor = nil
    #expect(spec.layout == expected)
    let step = try #require(plan.phases[0][0].training)
    let chosen = step.job.layout
    #expect(step.layoutsSearched == 4)
    let sizes: [Int] = [chosen.pipeline, chosen.context, chosen.expert, chosen.virtualStages]
    #expect(sizes == [2, 1, 1, 1])
    #expect(chosen.zero == 1)
    #expect(chosen.recompute == Recompute.none)
    #expect(chosen.schedule == PipelineSchedule.oneFOneB)
    #expect(!chosen.sequenceParallel && !chosen.unevenPipeline)
    let h100 = plan.program.pools[0].chip
    let priced = try [1, 2].map { tp in
      let layout = ParallelLayout(tensor: tp, pipeline: 2, data: 16 / (2 * tp))
      return try StepTimeModel(
        job: spec.job(layout: layout, precision: .bf16), chip: h100, gpusPerNode: 8
      ).estimate().stepSeconds
    }
    #expect(step.estimate.stepSeconds == priced.min())
    #expect(chosen.tensor == (priced[0] <= priced[1] ? 1 : 2))
  }

  static let badValues: [(parallelism: String, expected: String)] = [
    ("automatic",
     "configs/x.yaml:12:18: phases[0].parallelism: expected auto or a mapping of layout keys (activation_offload_layers, cp, dp, ep, etp, extrapolate, grad_reduce, memory_headroom_gb, microbatch, overlap_grad_reduce, overlap_tp_comm, pp, recompute, schedule, sequence_parallel, tp, tp_across_nodes, uneven_pipeline, virtual_stages, zero), got \"automatic\""),
    ("{tp: autoo}",
     "configs/x.yaml:12:23: phases[0].parallelism.tp: expected a whole number or auto, got \"autoo\"; did you mean \"auto\"?"),
    ("{recompute: Auto}",
     "configs/x.yaml:12:30: phases[0].parallelism.recompute: unknown recompute \"Auto\"; did you mean \"auto\"? (one of: none, selective, full, auto)"),
  ]

  @Test(arguments: badValues)
  func badParallelismValue(parallelism: String, expected: String) {
    #expect(messages(Self.training(parallelism)) == [expected])
  }

  /// Each of these messages names `auto`, the value the user was reaching for, beside what else
  /// is allowed.
  @Test(arguments: badValues)
  func badParallelismValueProposesAuto(parallelism: String, expected: String) {
    let found = messages(Self.training(parallelism))
    #expect(found.count == 1)
    #expect(found.allSatisfy { $0.range(of: #"\bauto\b"#, options: .regularExpression) != nil })
  }

  /// A phase of 64 GPUs on a pool of 16 A100 nodes.
  static func gpt(_ parallelism: String, gpus: Int = 64, model: String? = nil) -> String {
    """
    cluster:
      pools:
        - {name: a100, chip: A100-SXM4-80GB, nodes: 16, price_per_gpu_hour: 2}
    phases:
      - name: gpt
        pool: a100
        gpus: \(gpus)
        model: \(model ?? "{layers: 24, hidden: 2048, heads: 16, vocab: 50304}")
        seq_len: 2048
        global_batch: 512
        tokens: 1e9
        parallelism: \(parallelism)
    """
  }

  /// A layout as `LayoutText.short` writes it ("tp 2 pp 4 dp 8 interleaved v 2 zero 1 sp mb 2"),
  /// as a `parallelism:` mapping.
  static func parallelism(_ text: some StringProtocol) -> String {
    let keys = [
      "tp": "tp", "pp": "pp", "cp": "cp", "dp": "dp", "ep": "ep", "v": "virtual_stages",
      "zero": "zero", "recompute": "recompute", "mb": "microbatch",
    ]
    var words = String(text).split(separator: " ").map(String.init)[...]
    var entries: [String] = []
    while let word = words.popFirst() {
      if let key = keys[word], let value = words.popFirst() {
        entries.append("\(key): \(value)")
      } else if word == "sp" {
        entries.append("sequence_parallel: true")
      } else {
        entries.append("schedule: \(word)")
      }
    }
    return "{" + entries.joined(separator: ", ") + "}"
  }

  /// The layouts a message lists after `prefix`, each "LAYOUT (S s per step)", up to its end.
  static func layouts(in message: String, after prefix: String) -> [Substring] {
    guard let start = message.range(of: prefix)?.upperBound else { return [] }
    return message[start...].split(separator: "; ").map { item in
      item.prefix { $0 != "(" }.dropLast()
    }
  }

  /// tp·pp = 6 does not divide 64: whole nodes of 8 that 6 divides come every 24 GPUs: 48 (dp 8)
  /// runs, 72 (dp 12) does not split the 512-sequence batch, 96 (dp 16) does, within the pool's
  /// 128; and the layouts proposed for 64 GPUs use all 64 and load.
  @Test func gpusThatDoNotDivideProposeWholeNodesAndLayoutsThatFit() throws {
    let found = messages(Self.gpt("{tp: 2, pp: 3}"))
    let message = try #require(found.first)
    #expect(found.count == 1)
    #expect(
      message.hasPrefix(
        "configs/x.yaml:12:18: phases[0].parallelism: tp·pp·cp = 2·3·1 = 6 does not divide the "
          + "phase's 64 GPUs; use 48 or 96 GPUs (whole nodes of pool \"a100\" at which the layout "
          + "runs), or "
          + "keep 64 GPUs with one of: "))
    let counts = try #require(message.firstMatch(of: /use ([0-9]+) or ([0-9]+) GPUs/))
    for count in [Int(counts.1), Int(counts.2)].compactMap({ $0 }) {
      #expect(count % 8 == 0 && count % 6 == 0 && count <= 128)
    }
    let proposed = Self.layouts(in: message, after: "keep 64 GPUs with one of: ")
    #expect(proposed.count == 3)
    for layout in proposed {
      let text = Self.parallelism(layout)
      let sizes = ["tp", "pp", "cp", "dp"].map { key in
        text.firstMatch(of: try! Regex("\\b\(key): ([0-9]+)"))
          .flatMap { Int($0.output[1].substring ?? "") } ?? 1
      }
      #expect(sizes.reduce(1, *) == 64, "\(layout)")
      #expect(messages(Self.gpt(text)) == [], "\(layout)")
    }
  }

  /// Every GPU count proposed, applied to the config, loads.
  @Test
  func proposedGPUCountsLoad() throws {
    let message = try #require(messages(Self.gpt("{tp: 2, pp: 3}")).first)
    let counts = try #require(message.firstMatch(of: /use ([0-9]+) or ([0-9]+) GPUs/))
    for count in [Int(counts.1), Int(counts.2)].compactMap({ $0 }) {
      #expect(messages(Self.gpt("{tp: 2, pp: 3}", gpus: count)) == [], "\(count) GPUs")
    }
  }

  /// 6.7e9 parameters unsharded need 16 bytes each (108 GB) on an 80 GB A100: ZeRO 1 and up fit,
  /// and the first change proposed, applied, loads with the memory the message stated.
  @Test func memoryErrorProposesAChangeThatLoads() throws {
    let model = "{layers: 32, hidden: 4096, heads: 32, vocab: 32000}"
    let found = messages(Self.gpt("{zero: 0}", model: model))
    let message = try #require(found.first)
    #expect(found.count == 1)
    let fits = try #require(message.firstMatch(of: /; fits with zero ([0-9]) \(([0-9.]+) GB\)/))
    #expect(fits.1 == "1")
    #expect(message.contains(" or zero 2 (") && message.contains(" or zero 3 ("))
    let plan = try ConfigLoader.parsePlan(
      yaml: Self.gpt("{zero: \(fits.1)}", model: model), file: "configs/x.yaml")
    let memory = try #require(plan.phases[0][0].training).estimate.memory.totalBytes
    #expect(String(format: "%.1f", memory / 1e9) == fits.2)
  }

  /// GPT-3's shape on 64 A100s: no single change of ZeRO or recomputation fits, so the message
  /// proposes whole layouts of 64 GPUs; the first, applied, loads.
  @Test func memoryErrorProposesALayoutThatLoads() throws {
    let model = "{layers: 96, hidden: 12288, heads: 96, vocab: 51200, ffn: 49152}"
    let message = try #require(messages(Self.gpt("{tp: 2, pp: 2}", model: model)).first)
    let proposed = Self.layouts(
      in: message,
      after: "no single change of zero or recompute fits; layouts of 64 GPUs that do: ")
    let first = try #require(proposed.first)
    #expect(messages(Self.gpt(Self.parallelism(first), model: model)) == [], "\(first)")
  }
}

/// The search cache returns what the search returned, runs each key's search once, stores no
/// failure, and starts again empty past its capacity.
@Suite struct SearchCacheTests {
  static func key(gpus: Int) throws -> SearchCache.Key {
    let model = TransformerModel(layers: 24, hidden: 2048, heads: 16, vocab: 50304)
    let spec = TrainingSpec(
      model: model, seqLen: 2048, globalBatch: 512, steps: 10, layout: .auto)
    let chip = try #require(ChipCatalog.builtIn["A100-SXM4-80GB"])
    return SearchCache.Key(spec: spec, precision: .bf16, chip: chip, gpusPerNode: 8, gpus: gpus)
  }

  @Test func eachKeySearchedOnceUntilFull() throws {
    let cache = SearchCache(capacity: 2)
    var runs = 0
    func step(_ key: SearchCache.Key) throws -> PhasePlan.TrainedStep {
      try cache.step(for: key) { () throws(PlanError) in
        runs += 1
        return try Planner.searchedStep(key)
      }
    }
    let k8 = try Self.key(gpus: 8)
    let k16 = try Self.key(gpus: 16)
    let first = try step(k8)
    #expect(try step(k8) == first)
    #expect(runs == 1)
    #expect(first.job.layout.gpus == 8)
    _ = try step(k16)
    #expect(runs == 2 && cache.searches == 2)
    // A third key fills the cache past 2: it starts again, so 8 GPUs is searched anew.
    _ = try step(try Self.key(gpus: 32))
    _ = try step(k8)
    #expect(runs == 4)
    let failing = try Self.key(gpus: 7)
    for _ in 0..<2 {
      #expect(throws: PlanError.self) {
        try cache.step(for: failing) { () throws(PlanError) in
          runs += 1
          throw PlanError(key: "parallelism", "no layout")
        }
      }
    }
    #expect(runs == 6 && cache.searches == 4)
  }
}
