/// The outcome of simulating a program many times: each phase's, each pool's and the total's
/// spread, by metric.
public struct SimulationResult: Sendable, Hashable {
  /// The spread of one phase's figures across replications.
  public struct PhaseSummary: Sendable, Hashable {
    /// Every metric's spread.
    public var statistics: MetricTable<PhaseMetric, Statistic>
    /// Replications that ran it on each of the program's pools.
    public var runsByPool: [Int]

    /// The spread of `metric`.
    public subscript(metric: PhaseMetric) -> Statistic { statistics[metric] }

    public var startHours: Statistic { self[.startHours] }
    public var endHours: Statistic { self[.endHours] }
    public var wallClockHours: Statistic { self[.wallClockHours] }
    public var gpuHours: Statistic { self[.gpuHours] }
    public var costUSD: Statistic { self[.costUSD] }
    public var interruptions: Statistic { self[.interruptions] }
    public var plannedInterruptions: Statistic { self[.plannedInterruptions] }
    public var lostWorkHours: Statistic { self[.lostWorkHours] }
    public var checkpointHours: Statistic { self[.checkpointHours] }
    public var restartHours: Statistic { self[.restartHours] }
    public var waitForRepairHours: Statistic { self[.waitForRepairHours] }
    public var maintenanceHours: Statistic { self[.maintenanceHours] }
    public var shrunkHours: Statistic { self[.shrunkHours] }
    public var goodput: Statistic { self[.goodput] }
    public var queueWaitHours: Statistic { self[.queueWaitHours] }
  }

  /// The spread of one pool's figures.
  public struct PoolSummary: Sendable, Hashable {
    /// Every metric's spread.
    public var statistics: MetricTable<PoolMetric, Statistic>

    /// The spread of `metric`.
    public subscript(metric: PoolMetric) -> Statistic { statistics[metric] }

    /// Held GPU-hours over schedulable GPU-hours across the program.
    public var utilization: Statistic { self[.utilization] }
    /// What its idle GPU-hours cost (reserved and owned pools).
    public var idleCostUSD: Statistic { self[.idleCostUSD] }
  }

  /// The spread of the whole program's figures.
  public struct TotalSummary: Sendable, Hashable {
    /// Every metric's spread.
    public var statistics: MetricTable<TotalMetric, Statistic>

    /// The spread of `metric`.
    public subscript(metric: TotalMetric) -> Statistic { statistics[metric] }

    public var wallClockHours: Statistic { self[.wallClockHours] }
    public var gpuHours: Statistic { self[.gpuHours] }
    public var costUSD: Statistic { self[.costUSD] }
  }

  /// The program that was simulated.
  public var program: Program
  /// Its phases planned on each of their allowed pools.
  public var plan: ProgramPlan
  /// The seed every replication's stream derives from.
  public var seed: UInt64
  /// How many replications ran.
  public var replications: Int
  /// One summary per phase, in config order.
  public var phases: [PhaseSummary]
  /// One summary per pool, in config order.
  public var pools: [PoolSummary]
  /// The whole program.
  public var total: TotalSummary
  /// Engine events delivered across all replications.
  public var events: Int
  /// Every replication's wall-clock hours and dollars, in replication order, when the run kept
  /// them (`Simulation.run(..., keepingTotals: true)`); empty otherwise.
  public var totals: [ReplicationTotals] = []

  /// Whether any pool can fail or be maintained (the reports then show the reliability figures).
  public var hasFailures: Bool {
    program.pools.contains(where: \.hasFailureModel)
  }

  /// Whether phase `index` ran only on pools without a failure model in every replication:
  /// nothing could interrupt it, so its zero interruptions are an assumption, not a measure.
  public func unmodelled(phase index: Int) -> Bool {
    zip(program.pools, phases[index].runsByPool).allSatisfy { pool, runs in
      runs == 0 || !pool.hasFailureModel
    }
  }

  /// The pools phases ran on that have no failure model, in config order.
  public var unmodelledPools: [Pool] {
    program.pools.indices.filter { pool in
      !program.pools[pool].hasFailureModel && phases.contains { $0.runsByPool[pool] > 0 }
    }.map { program.pools[$0] }
  }

  /// The line the reports put under their failure figures when some pool has no failure model.
  public var unmodelledNote: String? {
    let pools = unmodelledPools.map { "\"\($0.name)\"" }
    guard !pools.isEmpty else { return nil }
    let which = pools.count == 1 ? "pool \(pools[0]) has" : "pools \(pools.joined(separator: ", ")) have"
    return "not modelled: \(which) no failure model (no `failures:` block), so nothing fails "
      + "there; its phases show no interruptions by assumption, and their goodput counts only "
      + "checkpoint writes."
  }
}
