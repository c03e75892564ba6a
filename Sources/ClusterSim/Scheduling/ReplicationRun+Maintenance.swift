import SimKernel

/// Planned maintenance: at its period a pool pauses every phase on it (they checkpoint first, so
/// nothing is lost) and starts nothing until the window ends.
extension ReplicationRun {
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
