import ParallelCore
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

  /// Whether any pool can fail or be maintained (the reports then show the reliability figures).
  public var hasFailures: Bool {
    program.pools.contains { $0.failures.hasFailures || $0.failures.maintenance != nil }
  }
}

/// The running summaries of a run of consecutive replications: every figure of every phase, pool
/// and the total. Summaries of consecutive runs merge in order.
struct RunSummary: Sendable {
  /// Per phase, the `Simulation.phaseFigureCount` figures of `Simulation.store`.
  var phases: [[RunningStatistic]]
  /// Per pool: utilisation, idle cost.
  var pools: [[RunningStatistic]]
  /// Wall-clock hours, GPU-hours, cost, then the seven cost causes.
  var total: [RunningStatistic]
  var runsByPool: [[Int]]
  var events = 0

  /// Empty summaries for a run of `replications` in all (which decides exact or sketched
  /// quantiles).
  init(phases: Int, pools: Int, replications: Int) {
    let empty = RunningStatistic(replications: replications)
    self.phases = [[RunningStatistic]](
      repeating: [RunningStatistic](repeating: empty, count: Simulation.phaseFigureCount),
      count: phases)
    self.pools = [[RunningStatistic]](
      repeating: [RunningStatistic](repeating: empty, count: 2), count: pools)
    total = [RunningStatistic](repeating: empty, count: 10)
    runsByPool = [[Int]](repeating: [Int](repeating: 0, count: pools), count: phases)
  }

  mutating func add(_ outcome: ReplicationOutcome) {
    for (index, phase) in outcome.phases.enumerated() {
      Simulation.store(phase, into: &phases[index])
      runsByPool[index][phase.poolIndex] += 1
    }
    for pool in pools.indices {
      pools[pool][0].add(outcome.poolUtilization[pool])
      pools[pool][1].add(outcome.poolIdleCostUSD[pool])
    }
    let cost = outcome.cost
    let totals = [
      outcome.wallClockHours, outcome.gpuHours, cost.totalUSD, cost.computeUSD,
      cost.checkpointUSD, cost.lostWorkUSD, cost.restartUSD, cost.waitForRepairUSD,
      cost.maintenanceUSD, cost.idleUSD,
    ]
    for (index, value) in totals.enumerated() { total[index].add(value) }
    events += outcome.events
  }

  mutating func merge(_ other: RunSummary) {
    for phase in phases.indices {
      for figure in phases[phase].indices {
        phases[phase][figure].merge(other.phases[phase][figure])
      }
      for pool in runsByPool[phase].indices {
        runsByPool[phase][pool] += other.runsByPool[phase][pool]
      }
    }
    for pool in pools.indices {
      for figure in pools[pool].indices { pools[pool][figure].merge(other.pools[pool][figure]) }
    }
    for index in total.indices { total[index].merge(other.total[index]) }
    events += other.events
  }
}

/// Runs the replications of a program and summarises them.
public enum Simulation {
  /// How many figures `store` keeps per phase.
  static let phaseFigureCount = 21

  /// Replications per chunk of work for a run of `replications`: at least 64, about 1/256 of
  /// the run, at most 4,096. It depends on the replication count alone, so the summaries merge
  /// identically whatever the threads and topology.
  public static func chunkSize(replications: Int) -> Int {
    max(64, min(4096, replications / 256))
  }

  /// The per-phase figures summarised, in `PhaseSummary` order.
  @inline(__always)
  static func store(_ o: PhaseOutcome, into values: inout [RunningStatistic]) {
    values[0].add(o.startHours)
    values[1].add(o.endHours)
    values[2].add(o.wallClockHours)
    values[3].add(o.gpuHours)
    values[4].add(o.costUSD)
    values[5].add(Double(o.interruptions))
    values[6].add(Double(o.plannedInterruptions))
    values[7].add(o.lostWorkHours)
    values[8].add(o.checkpointHours)
    values[9].add(o.restartHours)
    values[10].add(o.waitForRepairHours)
    values[11].add(o.maintenanceHours)
    values[12].add(o.shrunkHours)
    values[13].add(o.goodput)
    values[14].add(o.queueWaitHours)
    values[15].add(o.cost.computeUSD)
    values[16].add(o.cost.checkpointUSD)
    values[17].add(o.cost.lostWorkUSD)
    values[18].add(o.cost.restartUSD)
    values[19].add(o.cost.waitForRepairUSD)
    values[20].add(o.cost.maintenanceUSD)
  }

  /// Simulates `program` `replications` times (default: the config's) on `threads` workers of
  /// `topology` (default: one thread). Replication i draws from the stream of `(seed, i)`;
  /// replications run in chunks of `chunkSize` whose summaries merge in replication order, so the
  /// result is the same for every thread count and topology. `progress` is called on the calling
  /// thread about every 0.2 s with the replications done.
  public static func run(
    _ program: Program, seed: UInt64? = nil, replications: Int? = nil, threads: Int = 1,
    topology: Topology? = nil, progress: ((Int) -> Void)? = nil,
    maximumEvents: Int = ProgramScheduler.defaultMaximumEvents
  ) throws(SimulationError) -> SimulationResult {
    let plan: ProgramPlan
    do {
      plan = try Planner(program).plan()
    } catch {
      throw SimulationError(
        replication: 0, seed: seed ?? program.simulation.seed, atHours: 0,
        message: "cannot plan: \(error)")
    }
    return try run(
      plan, seed: seed, replications: replications, threads: threads, topology: topology,
      progress: progress, maximumEvents: maximumEvents)
  }

  /// Simulates a planned program (see `run(_:seed:replications:threads:topology:progress:)`).
  public static func run(
    _ plan: ProgramPlan, seed: UInt64? = nil, replications: Int? = nil, threads: Int = 1,
    topology: Topology? = nil, progress: ((Int) -> Void)? = nil,
    maximumEvents: Int = ProgramScheduler.defaultMaximumEvents
  ) throws(SimulationError) -> SimulationResult {
    let program = plan.program
    let seed = seed ?? program.simulation.seed
    let count = replications ?? program.simulation.replications
    precondition(count >= 1, "Simulation.run needs at least one replication")
    var settings = program
    settings.simulation = SimulationSettings(seed: seed, replications: count)
    let planned = ProgramPlan(program: settings, phases: plan.phases)
    let scheduler = ProgramScheduler(plan: planned, maximumEvents: maximumEvents)
    let phaseCount = program.phases.count
    let poolCount = program.pools.count
    let chunkSize = Self.chunkSize(replications: count)
    let chunks = (count + chunkSize - 1) / chunkSize
    var summary = RunSummary(phases: phaseCount, pools: poolCount, replications: count)
    let work: @Sendable (Int, WorkerContext) throws(SimulationError) -> RunSummary = {
      chunk, _ throws(SimulationError) in
      var part = RunSummary(phases: phaseCount, pools: poolCount, replications: count)
      let local = scheduler.isolated()
      for replication in (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) {
        var stream = RandomStream(seed: seed, replication: UInt64(replication))
        part.add(try local.run(replication: replication, stream: &stream))
      }
      return part
    }
    var tick: ((Int) -> Void)?
    if let progress {
      tick = { chunksDone in progress(min(count, chunksDone * chunkSize)) }
    }
    try WorkerPool.run(
      chunks: chunks, threads: threads,
      topology: topology ?? .synthetic(nodes: 1, cpusPerNode: 1), work: work,
      consume: { (_: Int, part: RunSummary) throws(SimulationError) in summary.merge(part) },
      tick: tick)

    let phases = summary.phases.enumerated().map { index, figures in
      let s = figures.map(\.statistic)
      return SimulationResult.PhaseSummary(
        startHours: s[0], endHours: s[1], wallClockHours: s[2], gpuHours: s[3], costUSD: s[4],
        interruptions: s[5], plannedInterruptions: s[6], lostWorkHours: s[7],
        checkpointHours: s[8], restartHours: s[9], waitForRepairHours: s[10],
        maintenanceHours: s[11], shrunkHours: s[12], goodput: s[13], queueWaitHours: s[14],
        costByCause: Array(s[15...20]), runsByPool: summary.runsByPool[index])
    }
    let pools = summary.pools.map {
      SimulationResult.PoolSummary(utilization: $0[0].statistic, idleCostUSD: $0[1].statistic)
    }
    let total = summary.total.map(\.statistic)
    return SimulationResult(
      program: settings, plan: planned, seed: seed, replications: count, phases: phases,
      pools: pools,
      total: SimulationResult.TotalSummary(
        wallClockHours: total[0], gpuHours: total[1], costUSD: total[2],
        costByCause: Array(total[3...9])),
      events: summary.events)
  }
}
