import SimKernel

/// Failures of a pooled pool (`FailureClocks`): one clock for all its nodes, of rate (up nodes) ·
/// (each node's rate), redrawn when it fires and whenever a node goes down or comes back; the
/// failing node is drawn uniformly among the up nodes and its component by rate.
extension ReplicationRun {
  /// Draws the pool's next failure from now at its current rate, replacing the pending one.
  mutating func schedulePoolFailure(_ pool: Int, _ stream: inout RandomStream) {
    // The rate read in place: binding the pool's `PooledFailures` retained its array per event.
    let rate = scheduler.pooledRatePerNodeHour[pool]
    guard rate > 0 else { return }
    let hours = PooledFailures.hoursToNextFailure(
      upNodes: scheduler.nodesInPool[pool] - down[pool], ratePerNodeHour: rate, &stream)
    guard hours.isFinite else {
      engine.cancel(handle: handle(pool: pool))
      return
    }
    engine.schedule(.poolFailure(pool: pool), afterHours: hours, handle: handle(pool: pool))
  }

  /// The pool's clock has fired: an up node, drawn uniformly, fails by a component drawn by rate.
  mutating func failPooled(_ pool: Int, _ stream: inout RandomStream) {
    let node = upNode(of: pool, &stream)
    let phase = nodes[node].phase
    let component = scheduler.pooled[pool]?.component(&stream) ?? 0
    _ = failure(of: node, component: component, &stream)
    schedulePoolFailure(pool, &stream)
    if phase >= 0 { interrupt(phase, planned: false) }
  }

  /// One of the pool's up nodes, each with the same probability: by rejection while at least an
  /// eighth of the pool is up (at most 8 tries expected), else the k-th up node for a uniform k.
  /// (`mutating` though it changes nothing: called from a mutating method, a non-mutating one
  /// was passed a 432-byte copy of the run's scheduler at every failure.)
  mutating func upNode(of pool: Int, _ stream: inout RandomStream) -> Int {
    let first = scheduler.firstNode[pool]
    let total = scheduler.nodesInPool[pool]
    let up = total - down[pool]
    precondition(up > 0, "a failure of pool \(pool) with every node down")
    if 8 * up >= total {
      while true {
        let node = first + Int.random(in: 0..<total, using: &stream)
        if nodes[node].up { return node }
      }
    }
    var rank = Int.random(in: 0..<up, using: &stream)
    for node in first..<(first + total) where nodes[node].up {
      if rank == 0 { return node }
      rank -= 1
    }
    preconditionFailure("pool \(pool) has fewer up nodes than its down count says")
  }
}
