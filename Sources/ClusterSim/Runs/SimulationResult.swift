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
    program.pools.contains { $0.failures.hasFailures || $0.failures.maintenance != nil }
  }
}
