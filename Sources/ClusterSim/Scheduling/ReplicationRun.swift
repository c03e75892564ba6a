import SimKernel


/// The state of one replication while it runs, and its event loop. Its concerns live in
/// extensions of their own: node failures and repairs (`+Failures`), a phase's life cycle
/// (`+Phases`), the queue and placement (`+Dispatch`), maintenance (`+Maintenance`); billing
/// prices the times it records (`Billing.settle`), and `Observer` records its timeline.
struct ReplicationRun<Observer: ReplicationObserver> {
  enum Status { case pending, running, restarting, waiting, paused, done }

  struct PhaseState {
    var status = Status.pending
    /// Nodes it holds.
    var held = NodeList()
    /// Bumped at every interruption (its pending event is cancelled then; the check on delivery
    /// is a guard).
    var attempt = 0
    /// Work saved by completed checkpoints, in compute hours at full size.
    var savedWorkHours = 0.0
    /// When the current attempt (computing) began.
    var attemptStart = 0.0
    /// Throughput of the current attempt: nodes held over nodes asked for.
    var rate = 1.0
    /// When the current restart, wait or pause began.
    var mark = 0.0
    /// The pool it runs on, the nodes it asked for there, and its work there in hours.
    var pool = -1
    var need = 0
    var duration = 0.0
    /// Whether it has been submitted (its `submit_at` has come).
    var submitted = false
    /// When it became ready.
    var ready = Double.nan
    /// When it is expected to end, for reservations (infinite while it waits).
    var expectedEnd = Double.infinity
    /// How it checkpoints on the pool it runs on.
    var checkpoint = CheckpointPolicy.none
    var outcome = PhaseOutcome(startHours: .nan)
  }

  struct NodeState {
    var up = true
    /// The phase holding it, or -1.
    var phase = -1
  }

  let scheduler: ProgramScheduler
  var replication: Int
  var engine: Engine<ProgramScheduler.Event>
  var phases: [PhaseState]
  var nodes: [NodeState]
  /// Next failure time of every component of every node of a per-node pool (hours), flat.
  var clocks: [Double]
  /// Free nodes of each pool (taken from the end).
  var free: [NodeList]
  /// Each node's slot in the list that holds it (`free` of its pool, or `held` of its phase).
  var position: [Int]
  var inMaintenance: [Bool]
  /// Nodes of each pool down for repair.
  var down: [Int]
  var remainingDependencies: [Int]
  /// The phases that depend on each phase.
  var dependents: [[Int]]
  var finished = 0
  /// Ready phases not yet started, in queue order (see `dispatch`).
  var queue: [Int] = []
  /// Phases waiting for replacement nodes, by index.
  var waiting: [Int] = []
  /// Per pool, the phases holding nodes on it.
  var active: [[Int]]
  /// Who records what happened.
  var observer: Observer
  /// This replication's compute hours of each phase on each of its allowed pools.
  var workHours: [[Double]]

  /// The program's phases and pools, held directly so the hot paths do not copy the program.
  let definitions: [Phase]
  let pools: [Pool]
  var now: Double { engine.now.hours }

  init(scheduler: ProgramScheduler, replication: Int, observer: Observer) {
    self.scheduler = scheduler
    self.replication = replication
    self.observer = observer
    let program = scheduler.program
    definitions = program.phases
    pools = program.pools
    let clockedNodes = program.pools.indices.reduce(0) {
      $0 + (scheduler.pooled[$1] == nil ? program.pools[$1].totalNodes : 1)
    }
    engine = Engine(
      capacity: clockedNodes + program.phases.count + 4,
      handles: program.phases.count + program.pools.count
        + (scheduler.clockCount > 0 ? scheduler.poolOfNode.count : 0))
    phases = [PhaseState](repeating: PhaseState(), count: program.phases.count)
    nodes = [NodeState](repeating: NodeState(), count: scheduler.poolOfNode.count)
    clocks = [Double](repeating: .infinity, count: scheduler.clockCount)
    position = [Int](repeating: -1, count: scheduler.poolOfNode.count)
    free = [NodeList](repeating: NodeList(), count: program.pools.count)
    inMaintenance = [Bool](repeating: false, count: program.pools.count)
    down = [Int](repeating: 0, count: program.pools.count)
    active = [[Int]](repeating: [], count: program.pools.count)
    remainingDependencies = [Int](repeating: 0, count: program.phases.count)  // set by reset
    dependents = [[Int]](repeating: [], count: program.phases.count)
    for (index, phase) in program.phases.enumerated() {
      for dependency in phase.dependencies { dependents[dependency].append(index) }
    }
    workHours = []
    reset(replication: replication)
  }

  /// Puts the run in the state a new run of `replication` starts in, keeping every buffer's
  /// storage: a worker reuses one run for all its replications instead of allocating (and, for
  /// large pools, page-faulting in) its node arrays each time.
  mutating func reset(replication: Int) {
    self.replication = replication
    engine.reset()
    for index in phases.indices {
      var held = phases[index].held
      phases[index].held = NodeList()
      held.removeAll()
      phases[index] = PhaseState()
      phases[index].held = held
    }
    nodes.withUnsafeMutableBufferPointer { $0.update(repeating: NodeState()) }
    clocks.withUnsafeMutableBufferPointer { $0.update(repeating: .infinity) }
    for pool in pools.indices {
      inMaintenance[pool] = false
      down[pool] = 0
      active[pool].removeAll(keepingCapacity: true)
      let first = scheduler.firstNode[pool]
      free[pool].reset(
        descending: first..<(first + scheduler.nodesInPool[pool]), position: &position)
    }
    finished = 0
    waiting.removeAll(keepingCapacity: true)
    let seed = scheduler.program.simulation.seed
    workHours = scheduler.works.enumerated().map { phase, slots in
      slots.map { $0.hours(seed: seed, replication: replication, phase: phase) }
    }
    queue.removeAll(keepingCapacity: true)
    for (index, phase) in definitions.enumerated() {
      remainingDependencies[index] = phase.dependencies.count
      if phase.submitAtHours <= 0 {
        phases[index].submitted = true
        if phase.dependencies.isEmpty {
          phases[index].ready = 0
          queue.append(index)
        }
      }
    }
    queue.sort(by: precedes)
  }

  /// The engine handle of each pending event that can be superseded: a phase's end or restart
  /// end, a pooled pool's next failure, a per-node pool's node's next failure. Scheduling under
  /// a handle replaces its pending event, so nothing superseded waits in the queue.
  func handle(phase: Int) -> Int { phase }
  func handle(pool: Int) -> Int { phases.count + pool }
  func handle(node: Int) -> Int { phases.count + pools.count + node }

  func error(_ message: String) -> SimulationError {
    SimulationError(
      replication: replication, seed: scheduler.program.simulation.seed, atHours: now,
      message: message)
  }

  mutating func run(_ stream: inout RandomStream) throws(SimulationError) -> ReplicationOutcome {
    drawAllClocks(&stream)
    for (index, phase) in definitions.enumerated() where phase.submitAtHours > 0 {
      engine.schedule(.submit(phase: index), afterHours: phase.submitAtHours)
    }
    for (index, pool) in pools.enumerated() {
      if let maintenance = pool.failures.maintenance {
        engine.schedule(.maintenanceStart(pool: index), afterHours: maintenance.everyHours)
      }
    }
    dispatch()
    while finished < phases.count {
      guard let (time, event) = engine.step() else {
        let stuck = phases.indices.filter { phases[$0].status != .done }
          .map { "\"\(definitions[$0].name)\"" }
        throw error("no event left but phases \(stuck.joined(separator: ", ")) never finished")
      }
      if engine.eventsProcessed > scheduler.maximumEvents
        || time.hours > ProgramScheduler.horizonHours
      {
        let unfinished = phases.indices.filter { phases[$0].status != .done }
        let running = unfinished.map { "\"\(definitions[$0].name)\"" }.joined(separator: ", ")
        // Name what kept interrupting them: planned maintenance or failures.
        let planned = unfinished.reduce(0) { $0 + phases[$1].outcome.plannedInterruptions }
        let failures = unfinished.reduce(0) { $0 + phases[$1].outcome.interruptions }
        let cause =
          planned > failures
          ? "planned maintenance interrupts it before it saves its work (\(planned) maintenance "
            + "stops; checkpoint more often than the maintenance period)"
          : failures > 0
            ? "failures outpace the checkpoints (\(failures) interruptions; checkpoint more "
              + "often, or add spares)"
            : "it made no progress (check its work and its pool)"
        throw error(
          "stopped after \(engine.eventsProcessed) events with \(running) unfinished: \(cause)")
      }
      handle(event, &stream)
      if engine.nextEventTime != time {
        serveWaiting()
        dispatch()
        #if CLUSTERSIM_INVARIANTS
          checkInvariants()
        #endif
      }
    }
    return Billing.settle(
      phases.map(\.outcome), definitions: definitions, pools: pools,
      events: engine.eventsProcessed)
  }

  mutating func handle(_ event: ProgramScheduler.Event, _ stream: inout RandomStream) {
    switch event {
    case .submit(let phase):
      phases[phase].submitted = true
      if remainingDependencies[phase] == 0 { becomeReady(phase) }
    case .phaseDone(let phase, let attempt):
      guard phases[phase].attempt == attempt, phases[phase].status == .running else { return }
      finish(phase)
    case .restartDone(let phase, let attempt):
      guard phases[phase].attempt == attempt, phases[phase].status == .restarting else { return }
      phases[phase].outcome.restartHours += now - phases[phase].mark
      record(phase, .restart, from: phases[phase].mark)
      startAttempt(phase)
    case .failure(let node):
      guard nodes[node].up else { return }
      fail(node, &stream)
    case .poolFailure(let pool):
      failPooled(pool, &stream)
    case .repaired(let node):
      repair(node, &stream)
    case .maintenanceStart(let pool):
      startMaintenance(pool)
    case .maintenanceEnd(let pool):
      endMaintenance(pool)
    }
  }
}
