/// A figure of the whole program in one replication, summarised across replications.
///
/// A new metric is a case here, with its key and its value; a new cost cause brings its
/// `costUSDBy` metric with it.
public enum TotalMetric: SummaryMetric {
  /// From the start of the program to the end of its last phase.
  case wallClockHours
  /// GPU-hours of all phases.
  case gpuHours
  /// Dollars of all phases and of idle reserved or owned pools.
  case costUSD
  /// The dollars of one cause, `idle` included.
  case costUSDBy(CostCause)

  /// Every metric, in output order: the figures, then the dollars of each cause.
  public static let allCases: [TotalMetric] =
    [.wallClockHours, .gpuHours, .costUSD] + CostCause.allCases.map(TotalMetric.costUSDBy)

  public var key: String {
    switch self {
    case .wallClockHours: "wall_clock_hours"
    case .gpuHours: "gpu_hours"
    case .costUSD: "cost_usd"
    case .costUSDBy(let cause): cause.metricKey
    }
  }

  public var cause: CostCause? {
    if case .costUSDBy(let cause) = self { return cause }
    return nil
  }

  /// Its value in `outcome`, whose dollars by cause are `cost` (`outcome.cost`, computed once).
  @inline(__always)
  func value(of outcome: ReplicationOutcome, cost: CostBreakdown) -> Double {
    switch self {
    case .wallClockHours: outcome.wallClockHours
    case .gpuHours: outcome.gpuHours
    case .costUSD: cost.totalUSD
    case .costUSDBy(let cause): cost[cause]
    }
  }
}
