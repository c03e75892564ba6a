import Foundation
import Testing

@testable import ClusterSim

/// The scheduler, cost and workload keys: what loads, and bad input with its message. Line
/// numbers are those of `valid`.
@Suite struct SchedulingConfigTests: ConfigCases {
  static let valid = """
    scheduler: {policy: backfill}
    cluster:
      pools:
        - name: a100
          chip: A100-SXM4-80GB
          nodes: 4
          price_per_gpu_hour: 1.5
          cost: {model: reserved}
        - name: h100
          chip: H100-SXM5-80GB
          nodes: 8
          cost: {model: owned, purchase_usd_per_gpu: 25000, lifetime_years: 5, utilization: 0.8, pue: 1.2, electricity_usd_per_kwh: 0.1, overhead_usd_per_node_hour: 8}
    phases:
      - name: sweep
        pools: [a100, h100]
        gpus: 32
        tokens: 1e11
        model: {active_params: 7e9}
        mfu: 0.4
        submit_at: 2
        priority: 3
    workload:
      generate:
        count: 5
        name: exp
        pool: h100
        arrival: {poisson_per_hour: 0.5}
        gpus: [8, 16]
        hours: {distribution: lognormal, mean_hours: 4, sd_hours: 2}
    """

  @Test func validSchedulingConfigLoads() throws {
    let program = try ConfigLoader.parse(yaml: Self.valid, file: "configs/x.yaml")
    #expect(program.policy == .backfill)
    #expect(program.placement == .earliest)
    let cheapest = try ConfigLoader.parse(
      yaml: Self.valid.replacingOccurrences(
        of: "scheduler: {policy: backfill}",
        with: "scheduler: {policy: backfill, placement: cheapest}"),
      file: "configs/x.yaml")
    #expect(cheapest.placement == .cheapest)
    #expect(program.pools[0].cost == .reserved(pricePerGPUHourUSD: 1.5))
    guard case .owned(let owned) = program.pools[1].cost else {
      Issue.record("expected an owned pool")
      return
    }
    #expect(owned.purchaseUSDPerGPU == 25_000 && owned.overheadUSDPerNodeHour == 8)
    let sweep = program.phases[0]
    #expect(sweep.poolIndices == [0, 1])
    #expect(sweep.submitAtHours == 2 && sweep.priority == 3)
    // 6·N·D at 40% MFU: on A100 (312 TFLOPS) and H100 (989.5): 3.16 times faster on the H100.
    let hours = try Planner(program).plan().phases[0].map(\.workHours)
    #expect(hours.count == 2)
    #expect(abs(hours[0] / hours[1] - 989.5 / 312) < 1e-12)
    let jobs = program.phases.dropFirst()
    #expect(jobs.map(\.name) == ["exp-1", "exp-2", "exp-3", "exp-4", "exp-5"])
    #expect(jobs.allSatisfy { [8, 16].contains($0.gpus) && $0.poolIndices == [1] })
    let arrivals = jobs.map(\.submitAtHours)
    #expect(arrivals == arrivals.sorted() && arrivals[0] > 0)
    // The same seed draws the same jobs.
    let again = try ConfigLoader.parse(yaml: Self.valid, file: "configs/x.yaml")
    #expect(again.phases == program.phases)
    // And the program runs.
    let result = try Simulation.run(program, replications: 3)
    #expect(result.phases.count == 6)
  }

  static let cases: [(old: String, new: String, expected: String)] = [
    ("scheduler: {policy: backfill}", "scheduler: {policy: backfil}",
     "configs/x.yaml:1:21: scheduler.policy: unknown policy \"backfil\"; did you mean \"backfill\"? (one of: fifo, priority, backfill)"),
    ("scheduler: {policy: backfill}", "scheduler: {policy: backfill, placement: cheapst}",
     "configs/x.yaml:1:42: scheduler.placement: unknown placement \"cheapst\"; did you mean \"cheapest\"? (one of: earliest, cheapest)"),
    ("cost: {model: reserved}", "cost: {model: reservd}",
     "configs/x.yaml:8:21: cluster.pools[0].cost.model: unknown cost model \"reservd\"; did you mean \"reserved\"? (one of: rental, reserved, owned)"),
    ("cost: {model: reserved}", "cost: {model: reserved, pue: 1.2}",
     "configs/x.yaml:8:36: cluster.pools[0].cost.pue: applies only to model: owned"),
    (", pue: 1.2,", ",",
     "configs/x.yaml:12:13: cluster.pools[1].cost: missing required key \"pue\""),
    ("pue: 1.2", "pue: 0.8",
     "configs/x.yaml:12:99: cluster.pools[1].cost.pue: must be between 1 and 5, got 0.8"),
    ("    pools: [a100, h100]", "    pools: [a100, h200]",
     "configs/x.yaml:15:19: phases[0].pools[1]: no pool named \"h200\"; did you mean \"h100\"? (pools: a100, h100)"),
    ("    pools: [a100, h100]", "    pools: [a100, a100]",
     "configs/x.yaml:15:19: phases[0].pools[1]: pool \"a100\" is listed twice"),
    ("    pools: [a100, h100]", "    pool: a100\n    pools: [h100]",
     "configs/x.yaml:16:12: phases[0].pools: give pool or pools, not both"),
    ("    submit_at: 2", "    submit_at: -2",
     "configs/x.yaml:20:16: phases[0].submit_at: must be zero or more, got -2"),
    ("    priority: 3", "    priority: 1.5",
     "configs/x.yaml:21:15: phases[0].priority: must be a whole number, got 1.5"),
    ("    gpus: [8, 16]", "    gpus: [8, 128]",
     "configs/x.yaml:28:11: workload.generate.gpus: jobs of 128 GPUs do not fit pool \"h100\" (64 GPUs)"),
    ("{poisson_per_hour: 0.5}", "{poisson_per_hour: 0.5, every_hours: 2}",
     "configs/x.yaml:27:14: workload.generate.arrival: give exactly one of poisson_per_hour and every_hours"),
    ("    name: exp", "    name: sweep\n    count: 1",
     "configs/x.yaml:26:5: (document): duplicate key \"count\" in one mapping; give each key once (first at line 24)"),
  ]

  @Test(arguments: cases)
  func badSchedulingInput(old: String, new: String, expected: String) {
    #expect(messages(edited(old, new)).joined(separator: "\n") == expected)
  }

  /// Generated names may not clash with a phase's.
  @Test func generatedNamesMustNotClash() {
    let yaml = edited("    name: exp", "    name: exp").replacingOccurrences(
      of: "  - name: sweep", with: "  - name: exp-2")
    #expect(
      messages(yaml) == [
        "configs/x.yaml:25:11: workload.generate.name: generated job \"exp-2\" clashes with a phase of that name"
      ])
  }

  /// A model-shaped phase allowed on A100 and H100 gets the step-time model on each chip:
  /// `explain` shows both, and the scheduler runs it where it finishes first (the H100).
  @Test func modelShapedPhaseOnTwoPools() throws {
    let yaml = """
      cluster:
        pools:
          - {name: a100, chip: A100-SXM4-80GB, nodes: 8, price_per_gpu_hour: 1.5}
          - {name: h100, chip: H100-SXM5-80GB, nodes: 8, price_per_gpu_hour: 2.5}
      phases:
        - name: ablation
          pools: [a100, h100]
          gpus: 64
          model: {layers: 32, hidden: 4096, heads: 32, vocab: 32000}
          seq_len: 4096
          global_batch: 256
          tokens: 2e10
          parallelism: {tp: 2, pp: 2, recompute: selective}
      """
    let program = try ConfigLoader.parse(yaml: yaml, file: "configs/x.yaml")
    let explained = try ExplainReport(program).phases
    #expect(explained.map(\.pool.name) == ["a100", "h100"])
    let steps = try explained.map { try #require($0.training?.estimate.stepSeconds) }
    #expect(steps[1] < steps[0] / 2)
    let hours = try Planner(program).plan().phases[0].map(\.workHours)
    #expect(explained.map(\.hours) == hours)
    let result = try Simulation.run(program, replications: 2)
    #expect(result.phases[0].runsByPool == [0, 2])
    #expect(abs(result.phases[0].wallClockHours.mean - hours[1]) < 1e-9)
  }
}
