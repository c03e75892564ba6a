import Testing

@testable import ClusterSim

/// Cost causes and summary metrics: every cause reachable by subscript, keys unique and as the
/// output schema spells them, and tables read back by metric what was added.
@Suite struct MetricTests {
  /// Writing each cause by subscript lands in its own stored property, and the total adds them.
  @Test(arguments: CostCause.allCases) func causeSubscript(cause: CostCause) {
    var cost = CostBreakdown()
    cost[cause] = 7
    #expect(CostCause.allCases.filter { cost[$0] != 0 } == [cause])
    #expect(cost.totalUSD == 7)
    let named = [
      cost.computeUSD, cost.checkpointUSD, cost.lostWorkUSD, cost.restartUSD,
      cost.waitForRepairUSD, cost.maintenanceUSD, cost.idleUSD,
    ]
    #expect(named.reduce(0, +) == 7)
  }

  /// The keys of docs/output.md: cause keys, and one metric per held cause for phases and per
  /// cause for the total.
  @Test func keys() {
    #expect(
      CostCause.allCases.map(\.key) == [
        "compute", "checkpoint", "lost_work", "restart", "wait_for_repair", "maintenance", "idle",
      ])
    #expect(CostCause.held == CostCause.allCases.filter { $0 != .idle })
    let phase = PhaseMetric.allCases.map(\.key)
    #expect(Set(phase).count == phase.count)
    #expect(phase.first == "start_hours")
    #expect(phase.last == "cost_usd_maintenance")
    #expect(PhaseMetric.allCases.compactMap(\.cause) == CostCause.held)
    #expect(TotalMetric.allCases.compactMap(\.cause) == CostCause.allCases)
    #expect(PoolMetric.allCases.map(\.key) == ["utilization", "idle_cost_usd"])
  }

  /// A table of running statistics gives back, by metric, the values added for that metric.
  @Test func tableByMetric() {
    var table = MetricTable<TotalMetric, RunningStatistic>(
      repeating: RunningStatistic(replications: 2))
    for replication in 0..<2 {
      table.add { metric in
        Double(TotalMetric.allCases.firstIndex(of: metric) ?? -1) + Double(replication)
      }
    }
    let statistics = table.statistics
    for (position, metric) in TotalMetric.allCases.enumerated() {
      #expect(statistics[metric].min == Double(position))
      #expect(statistics[metric].max == Double(position + 1))
    }
    #expect(statistics.entries.map(\.metric) == TotalMetric.allCases)
  }
}
