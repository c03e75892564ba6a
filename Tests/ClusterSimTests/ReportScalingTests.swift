import Foundation
import Testing

@testable import ClusterSim

/// Issue 25 (report-html-quadratic-in-phases): `report --html` took 234 s for 10,000 phases, its
/// time growing with the square of the phases. This checks the growth, not the speed: rendering
/// four times the phases must take less than six times as long. Measured in the debug build
/// (fastest of three renders each): 200 and 800 phases took 0.87 s and 3.43 s (3.9 times), and
/// 1.54 s and 15.0 s (9.8 times) with 0.17.0's report. Each size is rendered three times and the
/// fastest kept, so a busy machine does not make it fail; the speed itself is in
/// docs/performance.md.
@Suite struct ReportScalingTests {
  /// `count` chained phases with failures and hourly checkpoints, as in the bug report.
  static func page(phases count: Int) throws -> HTMLReport {
    var yaml = """
      cluster:
        pools:
          - {name: h0, chip: H100-SXM5-80GB, nodes: 64, spare_nodes: 4, price_per_gpu_hour: 2, failures: {profile: llama3}}
      phases:

      """
    for index in 0..<count {
      let dependency = index == 0 ? "" : ", depends_on: [p\(index - 1)]"
      yaml +=
        "  - {name: p\(index), pool: h0, gpus: 64, hours: 50\(dependency), checkpoint: "
        + "{interval: 1, write_minutes: 1, restore_minutes: 1}}\n"
    }
    let plan = try ConfigLoader.parsePlan(yaml: yaml, file: "ph.yaml")
    let result = try Simulation.run(plan, replications: 2, keepingTotals: true)
    return HTMLReport(
      result: result, traced: try TracedReplication(plan: plan), explain: try ExplainReport(plan),
      configText: yaml, command: "clustersim report ph.yaml --html ph.html")
  }

  static func fastestSeconds(_ page: HTMLReport) -> Double {
    let clock = ContinuousClock()
    var best = Double.infinity
    for _ in 0..<3 {
      let start = clock.now
      let text = page.rendered()
      let elapsed = clock.now - start
      precondition(text.hasSuffix("</html>\n"))
      best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    return best
  }

  @Test func theHTMLPageGrowsLinearlyWithThePhases() throws {
    let small = Self.fastestSeconds(try Self.page(phases: 200))
    let large = Self.fastestSeconds(try Self.page(phases: 800))
    print("report scaling: 200 phases \(small) s, 800 phases \(large) s")
    #expect(large / small < 6, "200 phases: \(small) s, 800 phases: \(large) s")
  }
}
