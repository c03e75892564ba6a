/// The running summaries of a run of consecutive replications: every metric of every phase, pool
/// and the total. Summaries of consecutive runs merge in order.
struct RunSummary: Sendable {
  /// Per phase, in config order.
  var phases: [MetricTable<PhaseMetric, RunningStatistic>]
  /// Per pool, in config order.
  var pools: [MetricTable<PoolMetric, RunningStatistic>]
  /// The whole program.
  var total: MetricTable<TotalMetric, RunningStatistic>
  /// Per phase, the replications that ran it on each pool.
  var runsByPool: [[Int]]
  /// Engine events delivered.
  var events = 0
  /// Each replication's wall-clock hours and dollars, in replication order, when kept
  /// (`Simulation.run(..., keepingTotals: true)`); nil otherwise.
  var totals: [ReplicationTotals]?

  /// Empty summaries for a run of `replications` in all (which decides exact or sketched
  /// quantiles).
  init(phases: Int, pools: Int, replications: Int) {
    let empty = RunningStatistic(replications: replications)
    self.phases = [MetricTable](repeating: MetricTable(repeating: empty), count: phases)
    self.pools = [MetricTable](repeating: MetricTable(repeating: empty), count: pools)
    total = MetricTable(repeating: empty)
    runsByPool = [[Int]](repeating: [Int](repeating: 0, count: pools), count: phases)
  }

  /// Adds the next replication.
  mutating func add(_ outcome: ReplicationOutcome) {
    for (index, phase) in outcome.phases.enumerated() {
      phases[index].add { $0.value(of: phase) }
      runsByPool[index][phase.poolIndex] += 1
    }
    for pool in pools.indices {
      pools[pool].add { $0.value(of: outcome, pool: pool) }
    }
    let cost = outcome.cost
    total.add { $0.value(of: outcome, cost: cost) }
    events += outcome.events
    totals?.append(ReplicationTotals(wallClockHours: outcome.wallClockHours, costUSD: cost.totalUSD))
  }

  /// Appends `other`, the summaries of the replications that follow these.
  mutating func merge(_ other: RunSummary) {
    for phase in phases.indices {
      phases[phase].merge(other.phases[phase])
      for pool in runsByPool[phase].indices {
        runsByPool[phase][pool] += other.runsByPool[phase][pool]
      }
    }
    for pool in pools.indices { pools[pool].merge(other.pools[pool]) }
    total.merge(other.total)
    events += other.events
    if let more = other.totals { totals?.append(contentsOf: more) }
  }
}
