/// What a dollar was spent on (`docs/cost.md`): the GPU-hours a phase held, split by activity, and
/// the GPU-hours of reserved and owned pools that no phase held.
///
/// The order of the cases is the order of every output that lists causes: the JSON objects, the
/// CSV rows and the columns of the cost table. A new cause is a case here (with its title and the
/// hours it records) and a stored property in `CostBreakdown`.
public enum CostCause: String, CaseIterable, Sendable, Hashable {
  /// Useful work, and the slower work of a shrunk elastic phase: the rest of a phase's time.
  case compute
  /// Writing checkpoints, interrupted writes included.
  case checkpoint
  /// Compute thrown away since the last completed checkpoint when interrupted.
  case lostWork = "lost_work"
  /// Detecting, replacing and restoring after interruptions.
  case restart
  /// Waiting for failed nodes to come back because no replacement was free.
  case waitForRepair = "wait_for_repair"
  /// Paused for planned maintenance.
  case maintenance
  /// A pool's GPU-hours that no phase held (reserved and owned pools).
  case idle

  /// Its key in JSON objects (`cost_usd_by_cause`): `compute`, `lost_work`, ...
  public var key: String { rawValue }

  /// The key of the metric of its dollars in CSV output: `cost_usd_compute`, ...
  public var metricKey: String { "cost_usd_\(key)" }

  /// The column title of the cost table: `compute`, `lost work`, `repair wait`, ...
  public var title: String {
    switch self {
    case .compute: "compute"
    case .checkpoint: "checkpoint"
    case .lostWork: "lost work"
    case .restart: "restart"
    case .waitForRepair: "repair wait"
    case .maintenance: "maintenance"
    case .idle: "idle"
    }
  }

  /// Whether phases spend on it: every cause but `idle`, which only pools have.
  public var isHeld: Bool { self != .idle }

  /// The causes a phase's held GPU-hours split into, in order.
  public static let held = allCases.filter(\.isHeld)

  /// The hours `outcome` recorded on this cause; nil for `compute`, which is the rest of its
  /// wall-clock time, and for `idle`, which no phase records.
  public func recordedHours(in outcome: PhaseOutcome) -> Double? {
    switch self {
    case .compute, .idle: nil
    case .checkpoint: outcome.checkpointHours
    case .lostWork: outcome.lostWorkHours
    case .restart: outcome.restartHours
    case .waitForRepair: outcome.waitForRepairHours
    case .maintenance: outcome.maintenanceHours
    }
  }
}
