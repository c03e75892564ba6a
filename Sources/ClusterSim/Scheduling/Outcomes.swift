/// What happened to one phase in one replication.
public struct PhaseOutcome: Sendable, Hashable {
  /// When it started, in hours from the start of the program.
  public var startHours: Double
  /// When it finished, in hours from the start of the program.
  public var endHours: Double
  /// GPU-hours it held.
  public var gpuHours: Double = 0
  /// What it cost, in US dollars.
  public var costUSD: Double = 0
  /// Unplanned interruptions: failures of its nodes while it ran, wrote a checkpoint or
  /// restarted.
  public var interruptions: Int = 0
  /// Planned maintenance interruptions.
  public var plannedInterruptions: Int = 0
  /// Compute hours thrown away: done since the last completed checkpoint when interrupted.
  public var lostWorkHours: Double = 0
  /// Hours spent writing checkpoints, interrupted writes included.
  public var checkpointHours: Double = 0
  /// Hours spent detecting, replacing and restoring after interruptions, interrupted restarts
  /// included.
  public var restartHours: Double = 0
  /// Hours spent waiting for failed nodes to come back because no replacement was free.
  public var waitForRepairHours: Double = 0
  /// Hours paused for planned maintenance.
  public var maintenanceHours: Double = 0
  /// Compute hours at full size the work needs (the uninterrupted duration without checkpoints).
  public var usefulHours: Double = 0
  /// Hours it ran on fewer nodes than it asked for (elastic phases only).
  public var shrunkHours: Double = 0
  /// The pool it ran on.
  public var poolIndex: Int = 0
  /// When it became ready (submitted and its dependencies done), in hours.
  public var readyHours: Double = 0
  /// Its dollars by cause (`costUSD` is their total).
  public var cost = CostBreakdown()

  public init(startHours: Double, endHours: Double = .nan) {
    self.startHours = startHours
    self.endHours = endHours
  }

  /// From start to end, in hours.
  public var wallClockHours: Double { endHours - startHours }
  /// Useful compute over wall-clock time.
  public var goodput: Double { wallClockHours > 0 ? usefulHours / wallClockHours : 1 }
  /// From ready to start: how long it queued for its pool.
  public var queueWaitHours: Double { startHours - readyHours }
}

/// What happened to the whole program in one replication.
public struct ReplicationOutcome: Sendable, Hashable {
  /// One outcome per phase, in config order.
  public var phases: [PhaseOutcome]
  /// Events the engine delivered.
  public var events: Int
  /// Per pool: what its idle GPU-hours cost (reserved and owned pools), in US dollars.
  public var poolIdleCostUSD: [Double] = []
  /// Per pool: the fraction of its schedulable GPU-hours that phases held over the program.
  public var poolUtilization: [Double] = []

  public init(
    phases: [PhaseOutcome], events: Int, poolIdleCostUSD: [Double] = [],
    poolUtilization: [Double] = []
  ) {
    self.phases = phases
    self.events = events
    self.poolIdleCostUSD = poolIdleCostUSD
    self.poolUtilization = poolUtilization
  }

  /// From the start of the program to the end of its last phase, in hours.
  public var wallClockHours: Double { phases.map(\.endHours).max() ?? 0 }
  /// GPU-hours of all phases.
  public var gpuHours: Double { phases.reduce(0) { $0 + $1.gpuHours } }
  /// Cost of all phases and of idle reserved or owned pools, in US dollars: the sum of `cost`'s
  /// causes.
  public var costUSD: Double { cost.totalUSD }
  /// The program's dollars by cause: the phases' causes summed, and the pools' idle time.
  public var cost: CostBreakdown {
    var total = CostBreakdown()
    for phase in phases { total += phase.cost }
    // Phases hold no idle time: the program's is its pools'.
    total[.idle] = poolIdleCostUSD.reduce(0, +)
    return total
  }
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
