import SimKernel

/// What happened to one phase in one replication.
public struct PhaseOutcome: Sendable, Hashable {
  /// When it started, in hours from the start of the program.
  public var startHours: Double
  /// When it finished, in hours from the start of the program.
  public var endHours: Double
  /// GPU-hours it held.
  public var gpuHours: Double
  /// What it cost, in US dollars.
  public var costUSD: Double

  /// From start to end, in hours.
  public var wallClockHours: Double { endHours - startHours }
}

/// What happened to the whole program in one replication.
public struct ReplicationOutcome: Sendable, Hashable {
  /// One outcome per phase, in config order.
  public var phases: [PhaseOutcome]
  /// Events the engine delivered.
  public var events: Int

  /// From the start of the program to the end of its last phase, in hours.
  public var wallClockHours: Double { phases.map(\.endHours).max() ?? 0 }
  /// GPU-hours of all phases.
  public var gpuHours: Double { phases.reduce(0) { $0 + $1.gpuHours } }
  /// Cost of all phases, in US dollars.
  public var costUSD: Double { phases.reduce(0) { $0 + $1.costUSD } }
}

/// A program that cannot run to completion: a failure while running (exit code 1).
public struct SimulationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The replication that failed.
  public var replication: Int
  /// The seed of the run.
  public var seed: UInt64
  /// The simulated time of the failure, in hours.
  public var atHours: Double
  /// What went wrong.
  public var message: String

  public var description: String {
    "replication \(replication) (seed \(seed)) at \(atHours) h: \(message)"
  }
}

/// Runs the phases of a program on its pools as events.
///
/// Rules: a phase is ready when every phase it depends on has finished. Each pool serves its ready
/// phases in config order; the first of them starts as soon as the pool has its GPUs free, and a
/// later one never starts ahead of it (first come, first served, no backfilling). A phase holds
/// its GPUs from start to end and ends when its work is done. All events at one instant are
/// handled before any phase starts, so a phase sees every GPU freed at that instant.
public struct ProgramScheduler {
  /// What the engine schedules.
  enum Event: Sendable {
    /// The phase at this index has finished its work.
    case phaseFinished(Int)
  }

  let program: Program
  /// Hours each phase runs once started, in config order.
  let durationsHours: [Double]

  public init(program: Program) {
    self.program = program
    durationsHours = program.phases.map {
      WorkEstimate.hours(for: $0, on: program.pools[$0.poolIndex])
    }
  }

  /// Simulates one replication with its random stream.
  public func run(replication: Int, stream: inout RandomStream) throws(SimulationError)
    -> ReplicationOutcome
  {
    let phases = program.phases
    var engine = Engine<Event>(capacity: phases.count)
    var freeGPUs = program.pools.map(\.schedulableGPUs)
    var remainingDependencies = phases.map(\.dependencies.count)
    var dependents = [[Int]](repeating: [], count: phases.count)
    for (index, phase) in phases.enumerated() {
      for dependency in phase.dependencies { dependents[dependency].append(index) }
    }
    var started = [Bool](repeating: false, count: phases.count)
    var outcomes = [PhaseOutcome?](repeating: nil, count: phases.count)
    var finishedCount = 0

    func dispatch(_ engine: inout Engine<Event>) {
      for poolIndex in program.pools.indices {
        for index in phases.indices
        where phases[index].poolIndex == poolIndex && !started[index]
          && remainingDependencies[index] == 0
        {
          let phase = phases[index]
          guard phase.gpus <= freeGPUs[poolIndex] else { break }  // the head waits; no overtaking
          freeGPUs[poolIndex] -= phase.gpus
          started[index] = true
          outcomes[index] = PhaseOutcome(
            startHours: engine.now.hours, endHours: .nan, gpuHours: 0, costUSD: 0)
          engine.schedule(.phaseFinished(index), afterHours: durationsHours[index])
        }
      }
    }

    dispatch(&engine)
    while let (time, event) = engine.step() {
      var pending: Event? = event
      while let current = pending {
        switch current {
        case .phaseFinished(let index):
          let phase = phases[index]
          let pool = program.pools[phase.poolIndex]
          guard var outcome = outcomes[index] else {
            throw SimulationError(
              replication: replication, seed: program.simulation.seed, atHours: time.hours,
              message: "phase \"\(phase.name)\" finished without having started")
          }
          outcome.endHours = time.hours
          outcome.gpuHours = Billing.gpuHours(
            gpus: phase.gpus, wallClockHours: outcome.wallClockHours)
          outcome.costUSD = Billing.rentalUSD(
            gpuHours: outcome.gpuHours, pricePerGPUHourUSD: pool.pricePerGPUHourUSD)
          outcomes[index] = outcome
          freeGPUs[phase.poolIndex] += phase.gpus
          finishedCount += 1
          for dependent in dependents[index] { remainingDependencies[dependent] -= 1 }
        }
        pending = engine.nextEventTime == time ? engine.step()?.event : nil
      }
      dispatch(&engine)
    }

    guard finishedCount == phases.count else {
      let stuck = phases.indices.filter { outcomes[$0] == nil }.map { "\"\(phases[$0].name)\"" }
      throw SimulationError(
        replication: replication, seed: program.simulation.seed, atHours: engine.now.hours,
        message: "no event left but phases \(stuck.joined(separator: ", ")) never started")
    }
    return ReplicationOutcome(phases: outcomes.compactMap { $0 }, events: engine.eventsProcessed)
  }
}
