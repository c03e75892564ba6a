import ParallelCore
import SimKernel

/// Runs the replications of a program and summarises them.
public enum Simulation {
  /// Replications per chunk of work for a run of `replications`: at least 64, about 1/256 of
  /// the run, at most 4,096. It depends on the replication count alone, so the summaries merge
  /// identically whatever the threads and topology.
  public static func chunkSize(replications: Int) -> Int {
    max(64, min(4096, replications / 256))
  }

  /// Simulates `program` `replications` times (default: the config's) on `threads` workers of
  /// `topology` (default: one thread). Replication i draws from the stream of `(seed, i)`;
  /// replications run in chunks of `chunkSize` whose summaries merge in replication order, so the
  /// result is the same for every thread count and topology. `progress` is called on the calling
  /// thread about every 0.2 s with the replications done.
  public static func run(
    _ program: Program, seed: UInt64? = nil, replications: Int? = nil, threads: Int = 1,
    topology: Topology? = nil, progress: ((Int) -> Void)? = nil,
    maximumEvents: Int = ProgramScheduler.defaultMaximumEvents, keepingTotals: Bool = false
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
      progress: progress, maximumEvents: maximumEvents, keepingTotals: keepingTotals)
  }

  /// Simulates a planned program (see `run(_:seed:replications:threads:topology:progress:)`).
  /// With `keepingTotals`, the result also holds every replication's wall-clock hours and
  /// dollars in replication order (`SimulationResult.totals`), 16 bytes per replication.
  public static func run(
    _ plan: ProgramPlan, seed: UInt64? = nil, replications: Int? = nil, threads: Int = 1,
    topology: Topology? = nil, progress: ((Int) -> Void)? = nil,
    maximumEvents: Int = ProgramScheduler.defaultMaximumEvents, keepingTotals: Bool = false
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
    if keepingTotals { summary.totals = [] }
    let work: @Sendable (Int, WorkerContext) throws(SimulationError) -> RunSummary = {
      chunk, _ throws(SimulationError) in
      var part = RunSummary(phases: phaseCount, pools: poolCount, replications: count)
      if keepingTotals { part.totals = [] }
      let first = chunk * chunkSize
      // One run per chunk, reset between replications (`ReplicationRun.reset`): its buffers
      // are allocated once, not once per replication.
      var run = ReplicationRun<NoObserver>(
        scheduler: scheduler.isolated(), replication: first, observer: NoObserver())
      for replication in first..<min(count, first + chunkSize) {
        if replication != first { run.reset(replication: replication) }
        var stream = RandomStream(seed: seed, replication: UInt64(replication))
        part.add(try run.run(&stream))
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

    let phases = zip(summary.phases, summary.runsByPool).map {
      SimulationResult.PhaseSummary(statistics: $0.statistics, runsByPool: $1)
    }
    return SimulationResult(
      program: settings, plan: planned, seed: seed, replications: count, phases: phases,
      pools: summary.pools.map { SimulationResult.PoolSummary(statistics: $0.statistics) },
      total: SimulationResult.TotalSummary(statistics: summary.total.statistics),
      events: summary.events, totals: summary.totals ?? [])
  }
}
