import SimKernel

/// The outcome of simulating a program many times: each phase's and the total's spread.
public struct SimulationResult: Sendable, Hashable {
  /// The spread of one phase's figures across replications.
  public struct PhaseSummary: Sendable, Hashable {
    public var startHours: Statistic
    public var endHours: Statistic
    public var wallClockHours: Statistic
    public var gpuHours: Statistic
    public var costUSD: Statistic
    public var interruptions: Statistic
    public var plannedInterruptions: Statistic
    public var lostWorkHours: Statistic
    public var checkpointHours: Statistic
    public var restartHours: Statistic
    public var waitForRepairHours: Statistic
    public var maintenanceHours: Statistic
    public var shrunkHours: Statistic
    public var goodput: Statistic
    public var queueWaitHours: Statistic
    /// Dollars by cause: compute, checkpoint, lost work, restart, wait for repair, maintenance.
    public var costByCause: [Statistic]
    /// Replications that ran it on each of the program's pools.
    public var runsByPool: [Int]
  }

  /// The spread of one pool's figures.
  public struct PoolSummary: Sendable, Hashable {
    /// Held GPU-hours over schedulable GPU-hours across the program.
    public var utilization: Statistic
    /// What its idle GPU-hours cost (reserved and owned pools).
    public var idleCostUSD: Statistic
  }

  /// The causes of `costByCause`, in order, as output keys.
  public static let costCauses = [
    "compute", "checkpoint", "lost_work", "restart", "wait_for_repair", "maintenance",
  ]

  /// The spread of the whole program's figures.
  public struct TotalSummary: Sendable, Hashable {
    public var wallClockHours: Statistic
    public var gpuHours: Statistic
    public var costUSD: Statistic
    /// Dollars by cause: the phases' causes, then `idle`.
    public var costByCause: [Statistic]
  }

  /// The program that was simulated.
  public var program: Program
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

  /// Whether any pool can fail or be maintained (the reports then show the reliability figures).
  public var hasFailures: Bool {
    program.pools.contains { $0.failures.hasFailures || $0.failures.maintenance != nil }
  }
}

/// Runs the replications of a program and summarises them.
public enum Simulation {
  /// How many figures `figures(of:)` gives per phase.
  static let phaseFigureCount = 21

  /// The per-phase figures summarised, in `PhaseSummary` order, written into `into` from `at`.
  @inline(__always)
  static func store(_ o: PhaseOutcome, into values: inout [[Double]]) {
    values[0].append(o.startHours)
    values[1].append(o.endHours)
    values[2].append(o.wallClockHours)
    values[3].append(o.gpuHours)
    values[4].append(o.costUSD)
    values[5].append(Double(o.interruptions))
    values[6].append(Double(o.plannedInterruptions))
    values[7].append(o.lostWorkHours)
    values[8].append(o.checkpointHours)
    values[9].append(o.restartHours)
    values[10].append(o.waitForRepairHours)
    values[11].append(o.maintenanceHours)
    values[12].append(o.shrunkHours)
    values[13].append(o.goodput)
    values[14].append(o.queueWaitHours)
    values[15].append(o.cost.computeUSD)
    values[16].append(o.cost.checkpointUSD)
    values[17].append(o.cost.lostWorkUSD)
    values[18].append(o.cost.restartUSD)
    values[19].append(o.cost.waitForRepairUSD)
    values[20].append(o.cost.maintenanceUSD)
  }

  /// Simulates `program` `replications` times (default: the config's), replication i drawing from
  /// the stream of `(seed, i)`; results are reduced in replication order.
  public static func run(
    _ program: Program, seed: UInt64? = nil, replications: Int? = nil
  ) throws(SimulationError) -> SimulationResult {
    let seed = seed ?? program.simulation.seed
    let count = replications ?? program.simulation.replications
    precondition(count >= 1, "Simulation.run needs at least one replication")
    var settings = program
    settings.simulation = SimulationSettings(seed: seed, replications: count)
    let scheduler = ProgramScheduler(program: settings)

    let phaseCount = program.phases.count
    var figures = [[[Double]]](
      repeating: [[Double]](repeating: [], count: phaseFigureCount), count: phaseCount)
    for index in figures.indices {
      for figure in figures[index].indices { figures[index][figure].reserveCapacity(count) }
    }
    var totalWall: [Double] = []
    var totalGPUHours: [Double] = []
    var totalCost: [Double] = []
    var totalCauses = [[Double]](repeating: [], count: 7)
    var runsByPool = [[Int]](
      repeating: [Int](repeating: 0, count: program.pools.count), count: phaseCount)
    var utilization = [[Double]](repeating: [], count: program.pools.count)
    var idle = [[Double]](repeating: [], count: program.pools.count)
    var events = 0
    for replication in 0..<count {
      var stream = RandomStream(seed: seed, replication: UInt64(replication))
      let outcome = try scheduler.run(replication: replication, stream: &stream)
      for (index, phase) in outcome.phases.enumerated() {
        store(phase, into: &figures[index])
        runsByPool[index][phase.poolIndex] += 1
      }
      for pool in program.pools.indices {
        utilization[pool].append(outcome.poolUtilization[pool])
        idle[pool].append(outcome.poolIdleCostUSD[pool])
      }
      let cost = outcome.cost
      for (cause, value) in [
        cost.computeUSD, cost.checkpointUSD, cost.lostWorkUSD, cost.restartUSD,
        cost.waitForRepairUSD, cost.maintenanceUSD, cost.idleUSD,
      ].enumerated() {
        totalCauses[cause].append(value)
      }
      totalWall.append(outcome.wallClockHours)
      totalGPUHours.append(outcome.gpuHours)
      totalCost.append(cost.totalUSD)
      events += outcome.events
    }
    let phases = figures.enumerated().map { index, values in
      let s = values.map(Statistic.init)
      return SimulationResult.PhaseSummary(
        startHours: s[0], endHours: s[1], wallClockHours: s[2], gpuHours: s[3], costUSD: s[4],
        interruptions: s[5], plannedInterruptions: s[6], lostWorkHours: s[7],
        checkpointHours: s[8], restartHours: s[9], waitForRepairHours: s[10],
        maintenanceHours: s[11], shrunkHours: s[12], goodput: s[13], queueWaitHours: s[14],
        costByCause: Array(s[15...20]), runsByPool: runsByPool[index])
    }
    let pools = program.pools.indices.map {
      SimulationResult.PoolSummary(
        utilization: Statistic(utilization[$0]), idleCostUSD: Statistic(idle[$0]))
    }
    return SimulationResult(
      program: settings, seed: seed, replications: count, phases: phases, pools: pools,
      total: SimulationResult.TotalSummary(
        wallClockHours: Statistic(totalWall), gpuHours: Statistic(totalGPUHours),
        costUSD: Statistic(totalCost), costByCause: totalCauses.map(Statistic.init)),
      events: events)
  }
}
