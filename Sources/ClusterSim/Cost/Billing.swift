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
    var cost = CostBreakdown()
    var recordedHours = 0.0
    for cause in CostCause.held {
      guard let hours = cause.recordedHours(in: outcome) else { continue }
      cost[cause] = hours * rate
      recordedHours += hours
    }
    cost[.compute] = max(0, outcome.wallClockHours - recordedHours) * rate
    return cost
  }
}
