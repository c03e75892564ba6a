import SimKernel

/// Dispatch: the queue of ready phases in one order for every policy, and their placement on
/// the allowed pool where they finish first, or cost least under `placement: cheapest`
/// (`docs/scheduling.md`).
extension ReplicationRun {
  /// Starts queued phases by the program's policy (`docs/scheduling.md`): in queue order (ready
  /// time then config order; by priority first under `priority`), each on the allowed pool where
  /// it would finish first; the first phase that must wait for a pool becomes that pool's head and
  /// blocks it, except that under `backfill` a later phase may start at once if it cannot delay
  /// the head's reservation (EASY backfilling).
  mutating func dispatch() {
    guard !queue.isEmpty else { return }
    let backfill = scheduler.program.policy == .backfill
    let cheapest = scheduler.program.placement == .cheapest
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
      var best: (slot: Int, start: Double, finish: Double, cost: Double, backfilled: Bool)?
      for (slot, pool) in definitions[phase].poolIndices.enumerated() where !inMaintenance[pool] {
        let need = scheduler.nodeCounts[phase][slot]
        let duration = workHours[phase][slot]
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
        let cost = cheapest ? placementCost(phase, slot: slot) : 0
        if best == nil || Self.placesBetter(
          cost: cost, finish: start + duration, than: (best?.cost ?? 0, best?.finish ?? .infinity))
        {
          best = (slot, start, start + duration, cost, backfilled)
        }
      }
      guard let best else { continue }
      let pool = definitions[phase].poolIndices[best.slot]
      let need = scheduler.nodeCounts[phase][best.slot]
      if best.start <= now {
        if best.backfilled, let reservation = reservations[pool],
          now + workHours[phase][best.slot] > reservation.shadow
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

  /// Whether a pool where the phase would cost `cost` and finish at `finish` beats the best so
  /// far: the earlier finish (`placement: earliest`, where every cost is 0), or the lower cost
  /// and then the earlier finish (`cheapest`); an exact tie keeps the earlier-listed pool. A
  /// pool that never has room (infinite finish) never beats one that does.
  static func placesBetter(
    cost: Double, finish: Double, than best: (cost: Double, finish: Double)
  ) -> Bool {
    guard finish.isFinite else { return false }
    guard best.finish.isFinite else { return true }
    return cost != best.cost ? cost < best.cost : finish < best.finish
  }

  /// What `phase` would cost on its allowed pool `slot` under `placement: cheapest`: every GPU
  /// of the whole nodes it holds there, for its hours there, at the pool's held rate.
  func placementCost(_ phase: Int, slot: Int) -> Double {
    let pool = pools[definitions[phase].poolIndices[slot]]
    let gpus = Double(scheduler.nodeCounts[phase][slot] * pool.gpusPerNode)
    return gpus * workHours[phase][slot] * pool.cost.heldUSDPerGPUHour(pool: pool)
  }

  /// Queued phases a backfill pass examines behind the heads at most (Slurm's default
  /// `bf_max_job_test`).
  static var backfillDepth: Int { 500 }

  /// Puts a phase that has just become ready into the queue, in order: by priority first under
  /// `priority`, then by ready time (now, so after every phase already queued at its priority),
  /// then by config order.
  mutating func becomeReady(_ phase: Int) {
    phases[phase].ready = now
    let at = queue.partitioningIndex { precedes(phase, $0) }
    queue.insert(phase, at: at)
  }

  /// The queue order of every policy: by priority first under `priority` (higher first), then by
  /// ready time (earlier first), then by config order.
  func precedes(_ a: Int, _ b: Int) -> Bool {
    if scheduler.program.policy == .priority, definitions[a].priority != definitions[b].priority {
      return definitions[a].priority > definitions[b].priority
    }
    if phases[a].ready != phases[b].ready { return phases[a].ready < phases[b].ready }
    return a < b
  }

  /// Nodes a new phase may take on `pool` now: the free ones beyond the spares still held back
  /// (`docs/scheduling.md`, "Spares"). The reserve is the pool's spares less its nodes in repair:
  /// a spare that replaced a failed node is in use, and the node it replaced will be the spare
  /// when it comes back. So, while no more nodes are down than the pool has spares, a phase may
  /// start exactly when the pool's schedulable nodes not held by other phases cover it, as if
  /// nothing had failed; spares in repair never delay a start.
  func available(_ pool: Int) -> Int {
    free[pool].count - max(0, pools[pool].spareNodes - down[pool])
  }

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
