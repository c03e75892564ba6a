import SimKernel

/// A phase's life cycle: start on its nodes, compute between checkpoints, interruption (its work
/// since the last checkpoint lost), recovery on free nodes or a wait for repairs, restart, finish.
extension ReplicationRun {
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
    // The attempt's pending end (or restart end) is cancelled.
    phases[phase].attempt += 1
    engine.cancel(handle: handle(phase: phase))
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
    let elapsed = now - phases[phase].attemptStart
    let (kept, lost, writing) = phases[phase].checkpoint.split(
      elapsedHours: elapsed, planned: planned)
    // Field by field: copying the whole `PhaseState` here was 5% of a failure-heavy run.
    let rate = phases[phase].rate
    phases[phase].savedWorkHours = min(
      phases[phase].duration, phases[phase].savedWorkHours + kept * rate)
    phases[phase].outcome.lostWorkHours += lost
    phases[phase].outcome.checkpointHours += writing
    if rate < 1 { phases[phase].outcome.shrunkHours += elapsed }
  }

  /// Takes free nodes until the phase has what it asked for, then restarts it; waits otherwise,
  /// unless it is elastic and still has a node.
  mutating func recover(_ phase: Int) {
    let pool = phases[phase].pool
    let need = phases[phase].need
    while phases[phase].held.count < need, let node = free[pool].popLast() {
      phases[phase].held.append(node, position: &position)
      nodes[node].phase = phase
    }
    let held = phases[phase].held.count
    if held == need || (definitions[phase].elastic && held > 0) {
      phases[phase].status = .restarting
      phases[phase].mark = now
      let remaining = phases[phase].duration - phases[phase].savedWorkHours
      let recovery = phases[phase].checkpoint.recoveryHours
      phases[phase].expectedEnd = now + recovery + remaining * Double(need) / Double(held)
      engine.schedule(
        .restartDone(phase: phase, attempt: phases[phase].attempt), afterHours: recovery,
        handle: handle(phase: phase))
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
    let rate = Double(phases[phase].held.count) / Double(phases[phase].need)
    phases[phase].status = .running
    phases[phase].attemptStart = now
    phases[phase].rate = rate
    let compute = max(0, phases[phase].duration - phases[phase].savedWorkHours) / rate
    let hours = compute + phases[phase].checkpoint.writeHours(computeHours: compute)
    phases[phase].expectedEnd = now + hours
    engine.schedule(
      .phaseDone(phase: phase, attempt: phases[phase].attempt), afterHours: hours,
      handle: handle(phase: phase))
  }

  mutating func finish(_ phase: Int) {
    recordAttempt(phase)
    let rate = phases[phase].rate
    let compute = max(0, phases[phase].duration - phases[phase].savedWorkHours) / rate
    phases[phase].outcome.checkpointHours += phases[phase].checkpoint.writeHours(
      computeHours: compute)
    if rate < 1 { phases[phase].outcome.shrunkHours += now - phases[phase].attemptStart }
    let pool = phases[phase].pool
    active[pool].removeAll { $0 == phase }
    let held = phases[phase].held
    for node in held { nodes[node].phase = -1 }
    free[pool].append(contentsOf: held, position: &position)
    phases[phase].held.removeAll()
    phases[phase].status = .done
    phases[phase].outcome.endHours = now
    phases[phase].expectedEnd = now
    finished += 1
    for dependent in dependents[phase] {
      remainingDependencies[dependent] -= 1
      if remainingDependencies[dependent] == 0, phases[dependent].submitted {
        becomeReady(dependent)
      }
    }
  }

  /// Starts `phase` on its allowed pool `slot`, taking its nodes.
  mutating func start(_ phase: Int, slot: Int) {
    let pool = definitions[phase].poolIndices[slot]
    let need = scheduler.nodeCounts[phase][slot]
    // A starting phase holds nothing yet: every node it then holds was just taken.
    free[pool].moveLast(need, to: &phases[phase].held, position: &position)
    for node in phases[phase].held { nodes[node].phase = phase }
    phases[phase].pool = pool
    phases[phase].need = need
    active[pool].append(phase)
    phases[phase].duration = workHours[phase][slot]
    phases[phase].checkpoint = scheduler.checkpoints[phase][slot]
    phases[phase].outcome = PhaseOutcome(startHours: now)
    phases[phase].outcome.usefulHours = phases[phase].duration
    phases[phase].outcome.poolIndex = pool
    phases[phase].outcome.readyHours = phases[phase].ready
    startAttempt(phase)
  }

  /// The replication's outcome: each phase's, and each pool's utilisation and, for reserved and
  /// owned pools, the cost of its idle GPU-hours over the program.

  /// Records the phase's activity from `start` to now with the observer.
  mutating func record(_ phase: Int, _ activity: Timeline.Activity, from start: Double) {
    guard Observer.records, now > start else { return }
    observer.record(
      Timeline.Slice(
        phase: phase, pool: phases[phase].pool, activity: activity, startHours: start,
        endHours: now))
  }

  /// Records the attempt since it began, cut into compute and checkpoint-write slices.
  mutating func recordAttempt(_ phase: Int) {
    guard Observer.records else { return }
    let pool = phases[phase].pool
    for slice in phases[phase].checkpoint.slices(fromHours: phases[phase].attemptStart, toHours: now)
    {
      observer.record(
        Timeline.Slice(
          phase: phase, pool: pool, activity: slice.write ? .checkpoint : .compute,
          startHours: slice.startHours, endHours: slice.endHours))
    }
  }
}
