/// A figure of one pool in one replication, summarised across replications.
///
/// A new metric is a case here, with its key and its value.
public enum PoolMetric: String, SummaryMetric {
  /// Held GPU-hours over schedulable GPU-hours across the program.
  case utilization
  /// What its idle GPU-hours cost (reserved and owned pools).
  case idleCostUSD = "idle_cost_usd"

  public var key: String { rawValue }

  /// Its value for pool `pool` (an index into `Program.pools`) in `outcome`.
  @inline(__always)
  func value(of outcome: ReplicationOutcome, pool: Int) -> Double {
    switch self {
    case .utilization: outcome.poolUtilization[pool]
    case .idleCostUSD: outcome.poolIdleCostUSD[pool]
    }
  }
}
