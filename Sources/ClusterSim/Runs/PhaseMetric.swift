/// A figure of one phase in one replication, summarised across replications: `RunSummary` keeps
/// a running statistic per metric and the reports look them up by metric.
///
/// A new metric is a case here, with its key and its value; the JSON and CSV reports then carry
/// it. A new cost cause brings its `costUSDBy` metric with it.
public enum PhaseMetric: SummaryMetric {
  case startHours
  case endHours
  case wallClockHours
  case gpuHours
  case costUSD
  case interruptions
  case plannedInterruptions
  case lostWorkHours
  case checkpointHours
  case restartHours
  case waitForRepairHours
  case maintenanceHours
  case shrunkHours
  case goodput
  case queueWaitHours
  /// The dollars of one of the causes a phase spends on (`CostCause.held`).
  case costUSDBy(CostCause)

  /// Every metric, in output order: the figures, then the dollars of each held cause.
  public static let allCases: [PhaseMetric] =
    [
      .startHours, .endHours, .wallClockHours, .gpuHours, .costUSD, .interruptions,
      .plannedInterruptions, .lostWorkHours, .checkpointHours, .restartHours,
      .waitForRepairHours, .maintenanceHours, .shrunkHours, .goodput, .queueWaitHours,
    ] + CostCause.held.map(PhaseMetric.costUSDBy)

  public var key: String {
    switch self {
    case .startHours: "start_hours"
    case .endHours: "end_hours"
    case .wallClockHours: "wall_clock_hours"
    case .gpuHours: "gpu_hours"
    case .costUSD: "cost_usd"
    case .interruptions: "interruptions"
    case .plannedInterruptions: "planned_interruptions"
    case .lostWorkHours: "lost_work_hours"
    case .checkpointHours: "checkpoint_hours"
    case .restartHours: "restart_hours"
    case .waitForRepairHours: "wait_for_repair_hours"
    case .maintenanceHours: "maintenance_hours"
    case .shrunkHours: "shrunk_hours"
    case .goodput: "goodput"
    case .queueWaitHours: "queue_wait_hours"
    case .costUSDBy(let cause): cause.metricKey
    }
  }

  public var cause: CostCause? {
    if case .costUSDBy(let cause) = self { return cause }
    return nil
  }

  /// Its value in `outcome`, one phase's outcome in one replication.
  @inline(__always)
  func value(of outcome: PhaseOutcome) -> Double {
    switch self {
    case .startHours: outcome.startHours
    case .endHours: outcome.endHours
    case .wallClockHours: outcome.wallClockHours
    case .gpuHours: outcome.gpuHours
    case .costUSD: outcome.costUSD
    case .interruptions: Double(outcome.interruptions)
    case .plannedInterruptions: Double(outcome.plannedInterruptions)
    case .lostWorkHours: outcome.lostWorkHours
    case .checkpointHours: outcome.checkpointHours
    case .restartHours: outcome.restartHours
    case .waitForRepairHours: outcome.waitForRepairHours
    case .maintenanceHours: outcome.maintenanceHours
    case .shrunkHours: outcome.shrunkHours
    case .goodput: outcome.goodput
    case .queueWaitHours: outcome.queueWaitHours
    case .costUSDBy(let cause): outcome.cost[cause]
    }
  }
}
