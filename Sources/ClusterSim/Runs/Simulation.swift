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
  }

  /// The spread of the whole program's figures.
  public struct TotalSummary: Sendable, Hashable {
    public var wallClockHours: Statistic
    public var gpuHours: Statistic
    public var costUSD: Statistic
  }

  /// The program that was simulated.
  public var program: Program
  /// The seed every replication's stream derives from.
  public var seed: UInt64
  /// How many replications ran.
  public var replications: Int
  /// One summary per phase, in config order.
  public var phases: [PhaseSummary]
  /// The whole program.
  public var total: TotalSummary
  /// Engine events delivered across all replications.
  public var events: Int
}

/// Runs the replications of a program and summarises them.
public enum Simulation {
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
    var starts = [[Double]](repeating: [], count: phaseCount)
    var ends = starts
    var walls = starts
    var gpuHours = starts
    var costs = starts
    var totalWall: [Double] = []
    var totalGPUHours: [Double] = []
    var totalCost: [Double] = []
    var events = 0
    for replication in 0..<count {
      var stream = RandomStream(seed: seed, replication: UInt64(replication))
      let outcome = try scheduler.run(replication: replication, stream: &stream)
      for (index, phase) in outcome.phases.enumerated() {
        starts[index].append(phase.startHours)
        ends[index].append(phase.endHours)
        walls[index].append(phase.wallClockHours)
        gpuHours[index].append(phase.gpuHours)
        costs[index].append(phase.costUSD)
      }
      totalWall.append(outcome.wallClockHours)
      totalGPUHours.append(outcome.gpuHours)
      totalCost.append(outcome.costUSD)
      events += outcome.events
    }
    let phases = (0..<phaseCount).map { index in
      SimulationResult.PhaseSummary(
        startHours: Statistic(starts[index]), endHours: Statistic(ends[index]),
        wallClockHours: Statistic(walls[index]), gpuHours: Statistic(gpuHours[index]),
        costUSD: Statistic(costs[index]))
    }
    return SimulationResult(
      program: settings, seed: seed, replications: count, phases: phases,
      total: SimulationResult.TotalSummary(
        wallClockHours: Statistic(totalWall), gpuHours: Statistic(totalGPUHours),
        costUSD: Statistic(totalCost)),
      events: events)
  }
}
