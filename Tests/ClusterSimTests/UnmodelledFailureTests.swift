import Foundation
import Testing

@testable import ClusterSim

/// A pool without a failure model: the outputs say "not modelled" instead of showing zero
/// interruptions as if measured (issue 25, the README's H800 pool).
@Suite struct UnmodelledFailureTests {
  static let yaml = """
    cluster:
      pools:
        - name: modelled
          chip: H100-SXM5-80GB
          nodes: 4
          price_per_gpu_hour: 2
          failures:
            components: [{name: gpu, mtbf_hours: 500, repair_hours: 2}]
        - {name: bare, chip: H100-SXM5-80GB, nodes: 4, price_per_gpu_hour: 2}
    phases:
      - name: fails
        pool: modelled
        gpus: 32
        hours: 100
        checkpoint: {interval: 1, write_minutes: 1, restore_minutes: 5}
      - {name: assumed, pool: bare, gpus: 32, hours: 100}
    simulation: {replications: 20}
    """

  @Test func theTablesSayWhichPhasesCannotFail() throws {
    let plan = try ConfigLoader.parsePlan(yaml: Self.yaml, file: "u.yaml")
    let result = try Simulation.run(plan)
    #expect(!result.unmodelled(phase: 0))
    #expect(result.unmodelled(phase: 1))
    #expect(result.unmodelledPools.map(\.name) == ["bare"])
    let table = ResultReport(result).table()
    let rows = table.split(separator: "\n")
    let assumed = try #require(rows.last { $0.hasPrefix("assumed ") })
    #expect(assumed.contains("not modelled"))
    #expect(!assumed.contains("0.0     0.0"))
    let fails = try #require(rows.last { $0.hasPrefix("fails ") })
    #expect(!fails.contains("not modelled"))
    #expect(
      table.contains(
        "not modelled: pool \"bare\" has no failure model (no `failures:` block), so nothing fails")
    )
    let json = ResultReport(result).json().rendered()
    #expect(json.contains("\"failure_model\": true"))
    #expect(json.contains("\"failure_model\": false"))
    let page = HTMLReport(
      result: try Simulation.run(plan, keepingTotals: true),
      traced: try TracedReplication(plan: plan),
      explain: try ExplainReport(plan), configText: Self.yaml, command: "clustersim report u.yaml"
    ).rendered()
    #expect(page.contains(">not modelled<"))
    #expect(page.contains("pool &quot;bare&quot; has no failure model"))
  }

  /// Every pool modelled: no note, numbers everywhere.
  @Test func modelledPoolsShowTheirNumbers() throws {
    let yaml = Self.yaml.replacingOccurrences(of: "pool: bare", with: "pool: modelled")
    let table = ResultReport(
      try Simulation.run(try ConfigLoader.parsePlan(yaml: yaml, file: "m.yaml"))
    )
    .table()
    #expect(!table.contains("not modelled"))
  }
}
