/// What phases and pools cost under their pool's cost model (`docs/cost.md`).
public enum Billing {
  /// GPU-hours a phase holds: GPUs × wall-clock hours.
  public static func gpuHours(gpus: Int, wallClockHours: Double) -> Double {
    Double(gpus) * wallClockHours
  }

  /// A phase's GPU-hours split by cause, each at `usdPerGPUHour`: checkpoint writes, lost work,
  /// restarts, waits for repair and maintenance pauses as recorded; compute is the rest of its
  /// wall-clock time (useful work, and the slower work of a shrunk elastic phase).
  public static func phaseCost(_ outcome: PhaseOutcome, gpus: Int, usdPerGPUHour: Double)
    -> CostBreakdown
  {
    let rate = Double(gpus) * usdPerGPUHour
    let other =
      outcome.checkpointHours + outcome.lostWorkHours + outcome.restartHours
      + outcome.waitForRepairHours + outcome.maintenanceHours
    var cost = CostBreakdown()
    cost.computeUSD = max(0, outcome.wallClockHours - other) * rate
    cost.checkpointUSD = outcome.checkpointHours * rate
    cost.lostWorkUSD = outcome.lostWorkHours * rate
    cost.restartUSD = outcome.restartHours * rate
    cost.waitForRepairUSD = outcome.waitForRepairHours * rate
    cost.maintenanceUSD = outcome.maintenanceHours * rate
    return cost
  }
}
