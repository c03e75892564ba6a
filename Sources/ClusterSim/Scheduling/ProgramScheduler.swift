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
    case failure(node: Int, generation: Int)
    case repaired(node: Int)
    case maintenanceStart(pool: Int)
    case maintenanceEnd(pool: Int)
  }

  var program: Program
  /// Compute hours each phase needs at full size on each of its allowed pools.
  var durationsHours: [[Double]]
  /// Whole nodes each phase holds on each of its allowed pools.
  var nodeCounts: [[Int]]
  /// The pool of each node (nodes of all pools are numbered one after the other).
  var poolOfNode: [Int]
  /// The first node of each pool.
  var firstNode: [Int]
  /// Where each node's component clocks start in the flat clock array.
  var clockOffset: [Int]
  /// Time-to-failure law of each pool's components.
  var timeToFailure: [[Distribution]]

  /// The most events one replication may take before it is stopped as runaway (the config
  /// loader rejects phases whose expected time is out of bounds; this catches the rest).
  public static let defaultMaximumEvents = 20_000_000
  let maximumEvents: Int
  /// The latest simulated time a replication may reach, in hours (ten times the longest phase).
  public static let horizonHours = 10 * Phase.maximumHours

  public init(program: Program, maximumEvents: Int = defaultMaximumEvents) {
    self.program = program
    self.maximumEvents = maximumEvents
    durationsHours = program.phases.map { phase in
      phase.hoursByPool.count == phase.poolIndices.count
        ? phase.hoursByPool
        : phase.poolIndices.map { WorkEstimate.hours(for: phase, on: program.pools[$0]) }
    }
    nodeCounts = program.phases.map { phase in
      phase.poolIndices.map { phase.nodes(gpusPerNode: program.pools[$0].gpusPerNode) }
    }
    var poolOfNode: [Int] = []
    var firstNode: [Int] = []
    var clockOffset: [Int] = []
    var clocks = 0
    for (index, pool) in program.pools.enumerated() {
      firstNode.append(poolOfNode.count)
      for _ in 0..<pool.totalNodes {
        poolOfNode.append(index)
        clockOffset.append(clocks)
        clocks += pool.failures.components.count
      }
    }
    self.poolOfNode = poolOfNode
    self.firstNode = firstNode
    self.clockOffset = clockOffset
    timeToFailure = program.pools.map { $0.failures.components.map(\.timeToFailure) }
  }

  /// A copy whose arrays are freshly allocated, for one worker thread: replications then retain
  /// and release only buffers of their own thread, never a cache line another core is touching.
  public func isolated() -> ProgramScheduler {
    var copy = self
    copy.program.phases = program.phases.map { $0 }
    copy.program.pools = program.pools.map { $0 }
    copy.durationsHours = durationsHours.map { $0.map { $0 } }
    copy.nodeCounts = nodeCounts.map { $0.map { $0 } }
    copy.poolOfNode = poolOfNode.map { $0 }
    copy.firstNode = firstNode.map { $0 }
    copy.clockOffset = clockOffset.map { $0 }
    copy.timeToFailure = timeToFailure.map { $0.map { $0 } }
    return copy
  }

  /// Simulates one replication with its random stream.
  public func run(replication: Int, stream: inout RandomStream) throws(SimulationError)
    -> ReplicationOutcome
  {
    var run = ReplicationRun(scheduler: self, replication: replication)
    return try run.run(&stream)
  }

  /// Simulates replication `replication` of the program's seed and records its timeline (the
  /// same outcome as `run`, with every slice and failure).
  public func trace(replication: Int = 0) throws(SimulationError) -> (
    outcome: ReplicationOutcome, timeline: Timeline
  ) {
    var stream = RandomStream(seed: program.simulation.seed, replication: UInt64(replication))
    var run = ReplicationRun(scheduler: self, replication: replication)
    run.timeline = Timeline()
    let outcome = try run.run(&stream)
    return (outcome, run.timeline ?? Timeline())
  }
}

/// The state of one replication while it runs.
struct ReplicationRun {
  enum Status { case pending, running, restarting, waiting, paused, done }

  struct PhaseState {
    var status = Status.pending
    /// Nodes it holds.
    var held: [Int] = []
    /// Bumped at every interruption, so events of an abandoned attempt are ignored.
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
    var outcome = PhaseOutcome(startHours: .nan)
  }

  struct NodeState {
    var up = true
    /// The phase holding it, or -1.
    var phase = -1
    /// Bumped when its failure clocks are redrawn, so stale failure events are ignored.
    var generation = 0
  }

  let scheduler: ProgramScheduler
  let replication: Int
  var engine: Engine<ProgramScheduler.Event>
  var phases: [PhaseState]
  var nodes: [NodeState]
  /// Next failure time of every component of every node (hours), flat.
  var clocks: [Double]
  /// Free nodes of each pool (taken from the end).
  var free: [[Int]]
  var inMaintenance: [Bool]
  var remainingDependencies: [Int]
  var dependents: [[Int]]
  var finished = 0
  /// Ready phases not yet started, in queue order (see `dispatch`).
  var queue: [Int] = []
  /// Phases waiting for replacement nodes, by index.
  var waiting: [Int] = []
  /// Per pool, the phases holding nodes on it.
  var active: [[Int]]
  /// What happened, slice by slice, when the replication is traced.
  var timeline: Timeline?

  /// The program's phases and pools, held directly so the hot paths do not copy the program.
  let definitions: [Phase]
  let pools: [Pool]
  var now: Double { engine.now.hours }

  init(scheduler: ProgramScheduler, replication: Int) {
    self.scheduler = scheduler
    self.replication = replication
    let program = scheduler.program
    definitions = program.phases
    pools = program.pools
    engine = Engine(capacity: scheduler.poolOfNode.count + program.phases.count + 4)
    phases = [PhaseState](repeating: PhaseState(), count: program.phases.count)
    nodes = [NodeState](repeating: NodeState(), count: scheduler.poolOfNode.count)
    clocks = [Double](
      repeating: .infinity,
      count: program.pools.reduce(0) { $0 + $1.totalNodes * $1.failures.components.count })
    free = program.pools.indices.map { pool in
      let first = scheduler.firstNode[pool]
      return (first..<(first + program.pools[pool].totalNodes)).reversed()
    }
    inMaintenance = [Bool](repeating: false, count: program.pools.count)
    active = [[Int]](repeating: [], count: program.pools.count)
    let waitingFor = program.phases.map(\.dependencies.count)
    remainingDependencies = waitingFor
    var initial: [Int] = []
    for index in program.phases.indices where program.phases[index].submitAtHours <= 0 {
      phases[index].submitted = true
      if waitingFor[index] == 0 {
        phases[index].ready = 0
        initial.append(index)
      }
    }
    let byPriority = program.policy == .priority
    let definitions = program.phases
    initial.sort { a, b in
      byPriority && definitions[a].priority != definitions[b].priority
        ? definitions[a].priority > definitions[b].priority : a < b
    }
    queue = initial
    dependents = [[Int]](repeating: [], count: program.phases.count)
    for (index, phase) in program.phases.enumerated() {
      for dependency in phase.dependencies { dependents[dependency].append(index) }
    }
  }

  func error(_ message: String) -> SimulationError {
    SimulationError(
      replication: replication, seed: scheduler.program.simulation.seed, atHours: now,
      message: message)
  }

  mutating func run(_ stream: inout RandomStream) throws(SimulationError) -> ReplicationOutcome {
    for node in nodes.indices { drawClocks(node, &stream) }
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
        let running = phases.indices.filter { phases[$0].status != .done }
          .map { "\"\(definitions[$0].name)\"" }.joined(separator: ", ")
        throw error(
          "stopped after \(engine.eventsProcessed) events with \(running) unfinished: failures "
            + "outpace the checkpoints (checkpoint more often, or add spares)")
      }
      handle(event, &stream)
      if engine.nextEventTime != time {
        serveWaiting()
        dispatch()
      }
    }
    return settleBills()
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
    case .failure(let node, let generation):
      guard nodes[node].up, nodes[node].generation == generation else { return }
      fail(node, &stream)
    case .repaired(let node):
      mark(.repair, node: node, component: "", phase: -1)
      nodes[node].up = true
      drawClocks(node, &stream)
      free[scheduler.poolOfNode[node]].append(node)
    case .maintenanceStart(let pool):
      startMaintenance(pool)
    case .maintenanceEnd(let pool):
      endMaintenance(pool)
    }
  }

  // MARK: Nodes

  /// Redraws every component clock of `node` from now (it enters service as new) and schedules
  /// its next failure.
  mutating func drawClocks(_ node: Int, _ stream: inout RandomStream) {
    let laws = scheduler.timeToFailure[scheduler.poolOfNode[node]]
    let offset = scheduler.clockOffset[node]
    for (component, law) in laws.enumerated() {
      clocks[offset + component] = now + law.sample(using: &stream)
    }
    scheduleFailure(node)
  }

  mutating func scheduleFailure(_ node: Int) {
    nodes[node].generation += 1
    let count = scheduler.timeToFailure[scheduler.poolOfNode[node]].count
    guard count > 0 else { return }
    let offset = scheduler.clockOffset[node]
    var next = clocks[offset]
    for component in 1..<count { next = min(next, clocks[offset + component]) }
    guard next.isFinite else { return }
    engine.schedule(
      .failure(node: node, generation: nodes[node].generation), at: SimTime(hours: next))
  }

  mutating func fail(_ node: Int, _ stream: inout RandomStream) {
    let pool = scheduler.poolOfNode[node]
    let components = pools[pool].failures.components
    let offset = scheduler.clockOffset[node]
    var failed = 0
    for component in 1..<components.count
    where clocks[offset + component] < clocks[offset + failed] {
      failed = component
    }
    let component = components[failed]
    let phase = nodes[node].phase
    mark(.failure, node: node, component: component.name, phase: phase)
    if component.takesNodeDown {
      nodes[node].up = false
      nodes[node].generation += 1
      if phase >= 0 {
        phases[phase].held.removeAll { $0 == node }
        nodes[node].phase = -1
      } else {
        free[pool].removeAll { $0 == node }
      }
      engine.schedule(.repaired(node: node), afterHours: component.repair.sample(using: &stream))
    } else {
      clocks[offset + failed] = now + scheduler.timeToFailure[pool][failed].sample(using: &stream)
      scheduleFailure(node)
    }
    if phase >= 0 { interrupt(phase, planned: false) }
  }

  // MARK: Phases

  /// Stops the phase's current attempt: accounts its progress and starts its recovery.
  mutating func interrupt(_ phase: Int, planned: Bool) {
    switch phases[phase].status {
    case .running:
      settle(phase, planned: planned)
    case .restarting:
      phases[phase].outcome.restartHours += now - phases[phase].mark
      record(phase, .restart, from: phases[phase].mark)
    case .pending, .waiting, .paused, .done:
      return  // not computing: a lost node is replaced when it resumes
    }
    if planned {
      phases[phase].outcome.plannedInterruptions += 1
    } else {
      phases[phase].outcome.interruptions += 1
    }
    phases[phase].attempt += 1
    if planned {
      phases[phase].status = .paused
      phases[phase].mark = now
    } else {
      recover(phase)
    }
  }

  /// Splits the time since the attempt began into completed checkpoint cycles (saved), the
  /// checkpoint writes, and the compute since the last completed checkpoint (lost, or saved when
  /// the interruption is planned and the phase checkpoints first).
  mutating func settle(_ phase: Int, planned: Bool) {
    recordAttempt(phase)
    let policy = definitions[phase].checkpoint
    let elapsed = now - phases[phase].attemptStart
    var kept = 0.0
    var lost = 0.0
    var writing = 0.0
    if let interval = policy.intervalHours {
      let cycle = interval + policy.writeHours
      if cycle > 0 {
        let cycles = (elapsed / cycle).rounded(.down)
        let rest = elapsed - cycles * cycle
        kept = cycles * interval
        writing = cycles * policy.writeHours
        if rest > interval {
          writing += rest - interval
          if planned { kept += interval } else { lost = interval }
        } else {
          if planned { kept += rest } else { lost = rest }
        }
      } else {
        kept = elapsed  // continuous, free checkpoints
      }
    } else if planned {
      kept = elapsed
    } else {
      lost = elapsed
    }
    let state = phases[phase]
    phases[phase].savedWorkHours = min(state.duration, state.savedWorkHours + kept * state.rate)
    phases[phase].outcome.lostWorkHours += lost
    phases[phase].outcome.checkpointHours += writing
    if state.rate < 1 { phases[phase].outcome.shrunkHours += elapsed }
  }

  /// Takes free nodes until the phase has what it asked for, then restarts it; waits otherwise,
  /// unless it is elastic and still has a node.
  mutating func recover(_ phase: Int) {
    let pool = phases[phase].pool
    let need = phases[phase].need
    while phases[phase].held.count < need, let node = free[pool].popLast() {
      phases[phase].held.append(node)
      nodes[node].phase = phase
    }
    let held = phases[phase].held.count
    if held == need || (definitions[phase].elastic && held > 0) {
      phases[phase].status = .restarting
      phases[phase].mark = now
      let remaining = phases[phase].duration - phases[phase].savedWorkHours
      phases[phase].expectedEnd =
        now + definitions[phase].checkpoint.recoveryHours + remaining * Double(need) / Double(held)
      engine.schedule(
        .restartDone(phase: phase, attempt: phases[phase].attempt),
        afterHours: definitions[phase].checkpoint.recoveryHours)
    } else {
      if phases[phase].status != .waiting {
        phases[phase].status = .waiting
        phases[phase].mark = now
        phases[phase].expectedEnd = .infinity
      }
      let at = waiting.partitioningIndex { $0 >= phase }
      if at == waiting.count || waiting[at] != phase { waiting.insert(phase, at: at) }
    }
  }

  /// Gives free nodes to phases waiting for replacements, before any new phase starts.
  mutating func serveWaiting() {
    guard !waiting.isEmpty else { return }
    defer { waiting.removeAll { phases[$0].status != .waiting } }
    for phase in waiting where phases[phase].status == .waiting {
      let pool = phases[phase].pool
      guard !free[pool].isEmpty, !inMaintenance[pool] else { continue }
      let since = phases[phase].mark
      recover(phase)
      if phases[phase].status == .restarting {
        phases[phase].outcome.waitForRepairHours += now - since
        record(phase, .waitForRepair, from: since)
      }
    }
  }

  /// Starts computing from the last saved work on the nodes held.
  mutating func startAttempt(_ phase: Int) {
    let policy = definitions[phase].checkpoint
    let rate = Double(phases[phase].held.count) / Double(phases[phase].need)
    phases[phase].status = .running
    phases[phase].attemptStart = now
    phases[phase].rate = rate
    let compute = max(0, phases[phase].duration - phases[phase].savedWorkHours) / rate
    let hours = compute + Self.writesHours(compute: compute, policy: policy)
    phases[phase].expectedEnd = now + hours
    engine.schedule(.phaseDone(phase: phase, attempt: phases[phase].attempt), afterHours: hours)
  }

  /// Checkpoint writes between the segments of `compute` hours: one after every full interval
  /// but the last segment.
  static func writesHours(compute: Double, policy: CheckpointPolicy) -> Double {
    guard let interval = policy.intervalHours, interval > 0, compute > interval else { return 0 }
    return ((compute / interval).rounded(.up) - 1) * policy.writeHours
  }

  mutating func finish(_ phase: Int) {
    recordAttempt(phase)
    let state = phases[phase]
    let policy = definitions[phase].checkpoint
    let compute = max(0, state.duration - state.savedWorkHours) / state.rate
    phases[phase].outcome.checkpointHours += Self.writesHours(compute: compute, policy: policy)
    if state.rate < 1 { phases[phase].outcome.shrunkHours += now - state.attemptStart }
    let pool = state.pool
    active[pool].removeAll { $0 == phase }
    for node in state.held { nodes[node].phase = -1 }
    free[pool].append(contentsOf: state.held)
    phases[phase].held = []
    phases[phase].status = .done
    let definition = definitions[phase]
    var outcome = phases[phase].outcome
    outcome.endHours = now
    outcome.gpuHours = Billing.gpuHours(
      gpus: definition.gpus, wallClockHours: outcome.wallClockHours)
    outcome.cost = Billing.phaseCost(
      outcome, gpus: definition.gpus,
      usdPerGPUHour: pools[pool].cost.heldUSDPerGPUHour(pool: pools[pool]))
    outcome.costUSD = outcome.cost.totalUSD
    phases[phase].outcome = outcome
    phases[phase].expectedEnd = now
    finished += 1
    for dependent in dependents[phase] {
      remainingDependencies[dependent] -= 1
      if remainingDependencies[dependent] == 0, phases[dependent].submitted {
        becomeReady(dependent)
      }
    }
  }

  /// Starts queued phases by the program's policy (`docs/scheduling.md`): in queue order (ready
  /// time then config order; by priority first under `priority`), each on the allowed pool where
  /// it would finish first; the first phase that must wait for a pool becomes that pool's head and
  /// blocks it, except that under `backfill` a later phase may start at once if it cannot delay
  /// the head's reservation (EASY backfilling).
  mutating func dispatch() {
    guard !queue.isEmpty else { return }
    let backfill = scheduler.program.policy == .backfill
    var blocked = inMaintenance
    var blockedCount = blocked.filter { $0 }.count
    var reservations = [(shadow: Double, extra: Int)?](repeating: nil, count: pools.count)
    var endings = [[(end: Double, nodes: Int)]?](repeating: nil, count: pools.count)
    var started: [Int] = []  // positions in the queue, ascending
    var examinedBehindHeads = 0
    for (position, phase) in queue.enumerated() {
      // Nothing more can start: every pool has a head (fifo, priority), or backfilling has looked
      // as far down the queue as Slurm's default bf_max_job_test.
      if !backfill, blockedCount == pools.count { break }
      if backfill, blockedCount > 0 {
        examinedBehindHeads += 1
        if examinedBehindHeads > Self.backfillDepth { break }
      }
      var best: (slot: Int, start: Double, finish: Double, backfilled: Bool)?
      for (slot, pool) in definitions[phase].poolIndices.enumerated() where !inMaintenance[pool] {
        let need = scheduler.nodeCounts[phase][slot]
        let duration = scheduler.durationsHours[phase][slot]
        var start: Double
        var backfilled = false
        if !blocked[pool] {
          if endings[pool] == nil { endings[pool] = runningEnds(pool) }
          start = earliestStart(pool: pool, need: need, endings: endings[pool] ?? [])
        } else if backfill, let reservation = reservations[pool], available(pool) >= need,
          now + duration <= reservation.shadow || need <= reservation.extra
        {
          start = now
          backfilled = true
        } else {
          continue
        }
        if start + duration < best?.finish ?? .infinity || best == nil {
          best = (slot, start, start + duration, backfilled)
        }
      }
      guard let best else { continue }
      let pool = definitions[phase].poolIndices[best.slot]
      let need = scheduler.nodeCounts[phase][best.slot]
      if best.start <= now {
        if best.backfilled, let reservation = reservations[pool],
          now + scheduler.durationsHours[phase][best.slot] > reservation.shadow
        {
          reservations[pool] = (reservation.shadow, reservation.extra - need)
        }
        start(phase, slot: best.slot)
        started.append(position)
        endings[pool] = nil
      } else {
        blocked[pool] = true
        blockedCount += 1
        if backfill {
          let freeThen =
            available(pool)
            + (endings[pool] ?? []).filter { $0.end <= best.start }.reduce(0) { $0 + $1.nodes }
          reservations[pool] = (best.start, freeThen - need)
        }
      }
    }
    guard !started.isEmpty else { return }
    if started.last == started.count - 1 {
      queue.removeFirst(started.count)  // the usual case: the head of the queue started
    } else {
      var next = 0
      queue = queue.enumerated().compactMap { position, phase in
        if next < started.count, started[next] == position {
          next += 1
          return nil
        }
        return phase
      }
    }
  }

  /// Queued phases a backfill pass examines behind the heads at most (Slurm's default
  /// `bf_max_job_test`).
  static let backfillDepth = 500

  /// Puts a phase that has just become ready into the queue, in order: by priority first under
  /// `priority`, then by ready time (now, so after every phase already queued at its priority),
  /// then by config order.
  mutating func becomeReady(_ phase: Int) {
    phases[phase].ready = now
    let byPriority = scheduler.program.policy == .priority
    let priority = definitions[phase].priority
    let at = queue.partitioningIndex { other in
      if byPriority, definitions[other].priority != priority {
        return definitions[other].priority < priority
      }
      if phases[other].ready != now { return phases[other].ready > now }
      return other > phase
    }
    queue.insert(phase, at: at)
  }

  /// Nodes a new phase may take on `pool` now: the free ones beyond the spares held back.
  func available(_ pool: Int) -> Int { free[pool].count - pools[pool].spareNodes }

  /// The expected ends of the phases running or restarting on `pool`, with their nodes, earliest
  /// first.
  func runningEnds(_ pool: Int) -> [(end: Double, nodes: Int)] {
    active[pool].compactMap { phase -> (end: Double, nodes: Int)? in
      let state = phases[phase]
      guard state.status == .running || state.status == .restarting, state.expectedEnd.isFinite
      else { return nil }
      return (state.expectedEnd, state.held.count)
    }.sorted { $0.end < $1.end }
  }

  /// When `need` nodes will be available on `pool`: now, or the expected end of the running phase
  /// that frees enough of them (infinite if none does).
  func earliestStart(pool: Int, need: Int, endings: [(end: Double, nodes: Int)]) -> Double {
    var count = available(pool)
    if count >= need { return now }
    for ending in endings {
      count += ending.nodes
      if count >= need { return max(now, ending.end) }
    }
    return .infinity
  }

  /// Starts `phase` on its allowed pool `slot`, taking its nodes.
  mutating func start(_ phase: Int, slot: Int) {
    let pool = definitions[phase].poolIndices[slot]
    let need = scheduler.nodeCounts[phase][slot]
    let taken = free[pool].suffix(need)
    for node in taken { nodes[node].phase = phase }
    phases[phase].held.append(contentsOf: taken)
    free[pool].removeLast(need)
    phases[phase].pool = pool
    phases[phase].need = need
    active[pool].append(phase)
    phases[phase].duration = scheduler.durationsHours[phase][slot]
    phases[phase].outcome = PhaseOutcome(startHours: now)
    phases[phase].outcome.usefulHours = phases[phase].duration
    phases[phase].outcome.poolIndex = pool
    phases[phase].outcome.readyHours = phases[phase].ready
    startAttempt(phase)
  }

  /// The replication's outcome: each phase's, and each pool's utilisation and, for reserved and
  /// owned pools, the cost of its idle GPU-hours over the program.
  func settleBills() -> ReplicationOutcome {
    let outcomes = phases.map(\.outcome)
    let wall = outcomes.map(\.endHours).max() ?? 0
    var idle: [Double] = []
    var utilization: [Double] = []
    for (index, pool) in pools.enumerated() {
      let held = outcomes.filter { $0.poolIndex == index }.reduce(0) { $0 + $1.gpuHours }
      utilization.append(wall > 0 ? held / (Double(pool.schedulableGPUs) * wall) : 0)
      let unheld = max(0, Double(pool.totalGPUs) * wall - held)
      idle.append(pool.cost.billsIdle ? unheld * pool.cost.idleUSDPerGPUHour(pool: pool) : 0)
    }
    return ReplicationOutcome(
      phases: outcomes, events: engine.eventsProcessed, poolIdleCostUSD: idle,
      poolUtilization: utilization)
  }

  // MARK: Timeline

  mutating func record(_ phase: Int, _ activity: Timeline.Activity, from start: Double) {
    guard timeline != nil, now > start else { return }
    let slice = Timeline.Slice(
      phase: phase, pool: phases[phase].pool, activity: activity, startHours: start,
      endHours: now)
    timeline?.slices.append(slice)
  }

  /// The compute of the attempt since it began, cut into compute and checkpoint-write slices.
  mutating func recordAttempt(_ phase: Int) {
    guard timeline != nil else { return }
    let start = phases[phase].attemptStart
    let pool = phases[phase].pool
    let policy = definitions[phase].checkpoint
    var t = start
    while t < now {
      let computeEnd = min(now, policy.intervalHours.map { $0 > 0 ? t + $0 : now } ?? now)
      timeline?.slices.append(
        Timeline.Slice(
          phase: phase, pool: pool, activity: .compute, startHours: t, endHours: computeEnd))
      guard computeEnd < now, policy.writeHours > 0 else {
        t = computeEnd
        continue
      }
      let writeEnd = min(now, computeEnd + policy.writeHours)
      timeline?.slices.append(
        Timeline.Slice(
          phase: phase, pool: pool, activity: .checkpoint, startHours: computeEnd,
          endHours: writeEnd))
      t = writeEnd
    }
  }

  mutating func mark(_ kind: Timeline.Mark.Kind, node: Int, component: String, phase: Int) {
    guard timeline != nil else { return }
    let pool = scheduler.poolOfNode[node]
    let mark = Timeline.Mark(
      kind: kind, pool: pool, node: node - scheduler.firstNode[pool], component: component,
      phase: phase >= 0 ? phase : nil, hours: now)
    timeline?.marks.append(mark)
  }

  // MARK: Maintenance

  mutating func startMaintenance(_ pool: Int) {
    guard let maintenance = pools[pool].failures.maintenance else { return }
    inMaintenance[pool] = true
    for phase in active[pool] { interrupt(phase, planned: true) }
    engine.schedule(.maintenanceEnd(pool: pool), afterHours: maintenance.durationHours)
  }

  mutating func endMaintenance(_ pool: Int) {
    guard let maintenance = pools[pool].failures.maintenance else { return }
    inMaintenance[pool] = false
    for phase in active[pool] where phases[phase].status == .paused {
      phases[phase].outcome.maintenanceHours += now - phases[phase].mark
      record(phase, .maintenance, from: phases[phase].mark)
      phases[phase].status = .waiting
      phases[phase].mark = now
      recover(phase)
    }
    engine.schedule(
      .maintenanceStart(pool: pool),
      afterHours: maintenance.everyHours - maintenance.durationHours)
  }
}

extension Array {
  /// The first index whose element satisfies `belongs`, for a predicate false then true along the
  /// array (binary search).
  func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
    var low = 0
    var high = count
    while low < high {
      let middle = (low + high) / 2
      if belongs(self[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
  }
}
