/// Dollars by cause. For a phase: the GPU-hours it held, split by what they were spent on; for a
/// program, also `idle`, what its pools' unheld GPU-hours cost. `totalUSD` is the sum of the
/// causes.
///
/// Read and write it by cause (`cost[.restart]`) and iterate `CostCause.allCases`; the named
/// properties are its storage, kept for the callers that name one cause.
public struct CostBreakdown: Sendable, Hashable {
  public var computeUSD = 0.0
  public var checkpointUSD = 0.0
  public var lostWorkUSD = 0.0
  public var restartUSD = 0.0
  public var waitForRepairUSD = 0.0
  public var maintenanceUSD = 0.0
  public var idleUSD = 0.0

  public init() {}

  /// The dollars spent on `cause`.
  public subscript(cause: CostCause) -> Double {
    get {
      switch cause {
      case .compute: computeUSD
      case .checkpoint: checkpointUSD
      case .lostWork: lostWorkUSD
      case .restart: restartUSD
      case .waitForRepair: waitForRepairUSD
      case .maintenance: maintenanceUSD
      case .idle: idleUSD
      }
    }
    set {
      switch cause {
      case .compute: computeUSD = newValue
      case .checkpoint: checkpointUSD = newValue
      case .lostWork: lostWorkUSD = newValue
      case .restart: restartUSD = newValue
      case .waitForRepair: waitForRepairUSD = newValue
      case .maintenance: maintenanceUSD = newValue
      case .idle: idleUSD = newValue
      }
    }
  }

  /// The sum of the causes, added left to right in `CostCause.allCases` order (so the bits do
  /// not depend on anything else).
  public var totalUSD: Double {
    var causes = CostCause.allCases.makeIterator()
    guard let first = causes.next() else { return 0 }
    var sum = self[first]
    while let cause = causes.next() { sum += self[cause] }
    return sum
  }

  /// Adds `other`'s dollars, cause by cause.
  public static func += (total: inout CostBreakdown, other: CostBreakdown) {
    for cause in CostCause.allCases { total[cause] += other[cause] }
  }
}
