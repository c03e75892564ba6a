import SimKernel

/// Runs the phases of a program on the nodes of its pools, with node failures, repairs, spares,
/// checkpoints, restarts and planned maintenance, as events.
///
/// Scheduling rules (`docs/scheduling.md`): a phase is ready once submitted and its dependencies
/// have finished; ready phases are queued by the program's policy (fifo, priority or EASY
/// backfill) and placed on the allowed pool where they finish first, on whole nodes, never on the
/// spares a pool holds back. All events at one instant are handled before any phase starts, so a
/// phase sees every node freed then.
///
/// Failure rules (`docs/model.md`, "Failures and checkpoints"): every node, busy, idle or spare,
/// fails by its own components' processes. A failure of a node a phase holds interrupts the phase
/// if it is computing, writing a checkpoint or restarting: the work since its last completed
/// checkpoint is lost, and it restarts (detection, replacement, restore) on a free node of its
/// pool, spares included; if none is free it waits for a repair, or, if elastic, restarts on
/// the nodes it still has. Nodes a failure takes down are repaired and return to the pool.
public struct ProgramScheduler: Sendable {
  enum Event: Sendable {
    case submit(phase: Int)
    case phaseDone(phase: Int, attempt: Int)
    case restartDone(phase: Int, attempt: Int)
    /// The earliest clock of a node of a per-node pool.
    case failure(node: Int)
    /// The next failure of a pooled pool (`FailureClocks`).
    case poolFailure(pool: Int)
    case repaired(node: Int)
    case maintenanceStart(pool: Int)
    case maintenanceEnd(pool: Int)
  }

  var program: Program
  /// The work each phase needs at full size on each of its allowed pools (drawn per replication
  /// where it is random).
  var works: [[PhaseWork]]
  /// Whole nodes each phase holds on each of its allowed pools.
  var nodeCounts: [[Int]]
  /// How each phase checkpoints on each of its allowed pools (`auto` intervals resolved there).
  var checkpoints: [[CheckpointPolicy]]
  /// The pool of each node (nodes of all pools are numbered one after the other).
  var poolOfNode: [Int]
  /// The first node of each pool.
  var firstNode: [Int]
  /// Nodes of each pool, spares included (`Pool.totalNodes`, held here so the event path does
  /// not copy a `Pool` to compute it).
  var nodesInPool: [Int]
  /// Each pool's failure components.
  var components: [[FailureComponent]]
  /// Whether each component of each pool takes its node down, and its repair time (held apart
  /// from `components`: reading a field of an element of nested arrays of a large struct copied
  /// the whole element, 7% of a failure-heavy run).
  var takesNodeDown: [[Bool]]
  var repair: [[Distribution]]
  /// Where each node's component clocks start in the flat clock array (nodes of pooled pools
  /// have none).
  var clockOffset: [Int]
  /// Clocks in the flat array.
  var clockCount: Int
  /// Time-to-failure law of each pool's components.
  var timeToFailure: [[Distribution]]
  /// Each pool's superposed failure process, where its failures are pooled (`FailureClocks`).
  var pooled: [PooledFailures?]
  /// Each pool's pooled rate per node-hour, or 0 where its failures are not pooled.
  var pooledRatePerNodeHour: [Double]

  /// The most events one replication may take before it is stopped as runaway (the config
  /// loader rejects phases whose expected time is out of bounds; this catches the rest).
  public static let defaultMaximumEvents = 20_000_000
  let maximumEvents: Int
  /// The latest simulated time a replication may reach, in hours (ten times the longest phase).
  public static let horizonHours = 10 * Phase.maximumHours

  /// A scheduler of the program, planned first.
  public init(
    program: Program, maximumEvents: Int = defaultMaximumEvents,
    failureClocks: FailureClocks = .pooled
  ) throws(PlanError) {
    self.init(
      plan: try Planner(program).plan(), maximumEvents: maximumEvents,
      failureClocks: failureClocks)
  }

  /// A scheduler of a planned program, drawing failures as `failureClocks` says.
  public init(
    plan: ProgramPlan, maximumEvents: Int = defaultMaximumEvents,
    failureClocks: FailureClocks = .pooled
  ) {
    let program = plan.program
    self.program = program
    self.maximumEvents = maximumEvents
    works = plan.phases.map { $0.map(\.work) }
    nodeCounts = plan.phases.map { $0.map(\.nodes) }
    checkpoints = plan.phases.map { $0.map(\.checkpoint) }
    var poolOfNode: [Int] = []
    var firstNode: [Int] = []
    var clockOffset: [Int] = []
    var clocks = 0
    let pooled = program.pools.map { pool in
      failureClocks == .pooled ? PooledFailures(pool.failures) : nil
    }
    for (index, pool) in program.pools.enumerated() {
      firstNode.append(poolOfNode.count)
      let perNode = pooled[index] == nil ? pool.failures.components.count : 0
      for _ in 0..<pool.totalNodes {
        poolOfNode.append(index)
        clockOffset.append(clocks)
        clocks += perNode
      }
    }
    self.poolOfNode = poolOfNode
    self.firstNode = firstNode
    self.clockOffset = clockOffset
    self.pooled = pooled
    pooledRatePerNodeHour = pooled.map { $0?.ratePerNodeHour ?? 0 }
    nodesInPool = program.pools.map(\.totalNodes)
    components = program.pools.map(\.failures.components)
    takesNodeDown = components.map { $0.map(\.takesNodeDown) }
    repair = components.map { $0.map(\.repair) }
    clockCount = clocks
    timeToFailure = program.pools.map { $0.failures.components.map(\.timeToFailure) }
  }

  /// A copy whose arrays are freshly allocated, for one worker thread: replications then retain
  /// and release only buffers of their own thread, never a cache line another core is touching.
  public func isolated() -> ProgramScheduler {
    var copy = self
    copy.program.phases = program.phases.map { $0 }
    copy.program.pools = program.pools.map { $0 }
    copy.checkpoints = checkpoints.map { $0.map { $0 } }
    copy.works = works.map { $0.map { $0 } }
    copy.nodeCounts = nodeCounts.map { $0.map { $0 } }
    copy.poolOfNode = poolOfNode.map { $0 }
    copy.firstNode = firstNode.map { $0 }
    copy.clockOffset = clockOffset.map { $0 }
    copy.timeToFailure = timeToFailure.map { $0.map { $0 } }
    copy.pooled = pooled.map { $0 }
    copy.nodesInPool = nodesInPool.map { $0 }
    copy.pooledRatePerNodeHour = pooledRatePerNodeHour.map { $0 }
    copy.components = components.map { $0.map { $0 } }
    copy.takesNodeDown = takesNodeDown.map { $0.map { $0 } }
    copy.repair = repair.map { $0.map { $0 } }
    return copy
  }

  /// Simulates one replication with its random stream.
  public func run(replication: Int, stream: inout RandomStream) throws(SimulationError)
    -> ReplicationOutcome
  {
    var run = ReplicationRun<NoObserver>(
      scheduler: self, replication: replication, observer: NoObserver())
    return try run.run(&stream)
  }

  /// Simulates replication `replication` of the program's seed and records its timeline (the
  /// same outcome as `run`, with every slice and failure).
  public func trace(replication: Int = 0) throws(SimulationError) -> (
    outcome: ReplicationOutcome, timeline: Timeline
  ) {
    var stream = RandomStream(seed: program.simulation.seed, replication: UInt64(replication))
    var run = ReplicationRun<TimelineRecorder>(
      scheduler: self, replication: replication, observer: TimelineRecorder())
    let outcome = try run.run(&stream)
    return (outcome, run.observer.timeline)
  }
}
