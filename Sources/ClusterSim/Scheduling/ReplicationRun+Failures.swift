import SimKernel

/// Node failures and repairs: every node's component clocks (pools whose failures are pooled
/// draw them in `+PooledFailures`), the failure that interrupts the phase holding the node, and
/// the repair that returns a node to its pool's free list.
extension ReplicationRun {
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

  /// Every node's clocks at the start, drawn in node and component order (as `drawClocks` node by
  /// node would), with each pool's laws looked up once rather than once per node.
  mutating func drawAllClocks(_ stream: inout RandomStream) {
    for pool in pools.indices {
      if scheduler.pooled[pool] != nil {
        schedulePoolFailure(pool, &stream)
        continue
      }
      let laws = scheduler.timeToFailure[pool]
      let first = scheduler.firstNode[pool]
      guard !laws.isEmpty else { continue }
      for node in first..<(first + scheduler.nodesInPool[pool]) {
        let offset = scheduler.clockOffset[node]
        var next = Double.infinity
        for (component, law) in laws.enumerated() {
          let clock = now + law.sample(using: &stream)
          clocks[offset + component] = clock
          next = min(next, clock)
        }
        if next.isFinite {
          engine.schedule(.failure(node: node), at: SimTime(hours: next), handle: handle(node: node))
        }
      }
    }
  }

  /// Schedules the node's next failure at its earliest clock, replacing a pending one.
  mutating func scheduleFailure(_ node: Int) {
    let count = scheduler.timeToFailure[scheduler.poolOfNode[node]].count
    guard count > 0 else { return }
    let offset = scheduler.clockOffset[node]
    var next = clocks[offset]
    for component in 1..<count { next = min(next, clocks[offset + component]) }
    guard next.isFinite else {
      engine.cancel(handle: handle(node: node))
      return
    }
    engine.schedule(.failure(node: node), at: SimTime(hours: next), handle: handle(node: node))
  }

  /// The earliest clock of `node` has fired: that component fails.
  mutating func fail(_ node: Int, _ stream: inout RandomStream) {
    let pool = scheduler.poolOfNode[node]
    let offset = scheduler.clockOffset[node]
    var failed = 0
    for component in 1..<scheduler.timeToFailure[pool].count
    where clocks[offset + component] < clocks[offset + failed] {
      failed = component
    }
    let phase = nodes[node].phase
    if !failure(of: node, component: failed, &stream) {
      clocks[offset + failed] = now + scheduler.timeToFailure[pool][failed].sample(using: &stream)
      scheduleFailure(node)
    }
    if phase >= 0 { interrupt(phase, planned: false) }
  }

  /// Records the failure of `node`'s component and, if it takes the node down, takes the node
  /// from its phase or free list and schedules its repair. Returns whether the node went down;
  /// the caller redraws the clocks and then interrupts the node's phase.
  mutating func failure(of node: Int, component index: Int, _ stream: inout RandomStream) -> Bool {
    let pool = scheduler.poolOfNode[node]
    let phase = nodes[node].phase
    mark(.failure, node: node, component: index, phase: phase)
    guard scheduler.takesNodeDown[pool][index] else { return false }
    nodes[node].up = false
    down[pool] += 1
    if scheduler.pooled[pool] == nil { engine.cancel(handle: handle(node: node)) }
    if phase >= 0 {
      phases[phase].held.remove(node, position: &position)
      nodes[node].phase = -1
    } else {
      free[pool].remove(node, position: &position)
    }
    engine.schedule(
      .repaired(node: node),
      afterHours: scheduler.repair[pool][index].sample(using: &stream))
    return true
  }

  /// A node back from repair: in service as new, free for its pool.
  mutating func repair(_ node: Int, _ stream: inout RandomStream) {
    let pool = scheduler.poolOfNode[node]
    mark(.repair, node: node, component: -1, phase: -1)
    nodes[node].up = true
    down[pool] -= 1
    if scheduler.pooled[pool] != nil {
      schedulePoolFailure(pool, &stream)
    } else {
      drawClocks(node, &stream)
    }
    free[pool].append(node, position: &position)
  }

  /// Records a failure (of component index `component`) or repair (-1) of `node` with the
  /// observer.
  mutating func mark(_ kind: Timeline.Mark.Kind, node: Int, component: Int, phase: Int) {
    guard Observer.records else { return }
    let pool = scheduler.poolOfNode[node]
    observer.record(
      Timeline.Mark(
        kind: kind, pool: pool, node: node - scheduler.firstNode[pool],
        component: component >= 0 ? scheduler.components[pool][component].name : "",
        phase: phase >= 0 ? phase : nil, hours: now))
  }

  #if CLUSTERSIM_INVARIANTS
    /// Every node is in exactly one of: free (in its pool's list), held (by the phase it names,
    /// which lists it), or down (in repair); a phase holds no more than it asked for. Compiled in
    /// with `-DCLUSTERSIM_INVARIANTS` (as `make test` does), checked after every instant.
    func checkInvariants() {
      var seen = [Int](repeating: 0, count: nodes.count)
      for (pool, list) in free.enumerated() {
        for node in list {
          precondition(scheduler.poolOfNode[node] == pool, "node \(node) free in the wrong pool")
          precondition(nodes[node].up && nodes[node].phase < 0, "free node \(node) is not idle")
          seen[node] += 1
        }
      }
      for (index, phase) in phases.enumerated() {
        precondition(
          phase.held.count <= phase.need, "phase \(index) holds more nodes than it asked for")
        for node in phase.held {
          precondition(nodes[node].phase == index, "node \(node) held twice")
          precondition(nodes[node].up, "phase \(index) holds node \(node), which is down")
          seen[node] += 1
        }
      }
      var downByPool = [Int](repeating: 0, count: pools.count)
      for node in nodes.indices where !nodes[node].up {
        downByPool[scheduler.poolOfNode[node]] += 1
      }
      precondition(downByPool == down, "down counts \(down), nodes down \(downByPool)")
      for node in nodes.indices {
        let down = nodes[node].up ? 0 : 1
        precondition(
          seen[node] + down == 1,
          "node \(node) is in \(seen[node] + down) of free, held and down at \(now) h")
      }
    }
  #endif
}
