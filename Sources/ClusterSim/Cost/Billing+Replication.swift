/// Billing of one replication: the scheduler records when each phase ran and why it stopped;
/// this prices those times under each pool's cost model.
extension Billing {
  /// The replication's outcome from its phases' recorded times: each phase's GPU-hours and
  /// dollars by cause, each pool's utilisation and, for reserved and owned pools, the cost of its
  /// idle GPU-hours over the program. A phase holds, and is billed for, every GPU of the whole
  /// nodes it takes on the pool it ran on (`Phase.heldGPUs`).
  static func settle(_ phases: [PhaseOutcome], definitions: [Phase], pools: [Pool], events: Int)
    -> ReplicationOutcome
  {
    var outcomes = phases
    for index in outcomes.indices {
      let pool = pools[outcomes[index].poolIndex]
      let held = definitions[index].heldGPUs(gpusPerNode: pool.gpusPerNode)
      var outcome = outcomes[index]
      outcome.gpuHours = gpuHours(gpus: held, wallClockHours: outcome.wallClockHours)
      outcome.cost = phaseCost(
        outcome, gpus: held, usdPerGPUHour: pool.cost.heldUSDPerGPUHour(pool: pool))
      outcome.costUSD = outcome.cost.totalUSD
      outcomes[index] = outcome
    }
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
      phases: outcomes, events: events, poolIdleCostUSD: idle, poolUtilization: utilization)
  }
}
