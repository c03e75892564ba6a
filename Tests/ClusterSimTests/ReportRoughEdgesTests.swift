import Foundation
import Testing

@testable import ClusterSim

/// The rough edges a new user hit in the outputs (issue 25): times that rounded to "0.0 h",
/// "16,384 to 16,384 tokens", a JUnit class name starting with ".", the report's missing generate
/// chart and its published-against-predicted section.
@Suite struct ReportRoughEdgesTests {
  /// r1-cold-start: 22 GPU-hours on 512 GPUs is 0.043 h, 2.6 minutes.
  @Test(arguments: [
    (22.0 / 512, "2.6 min"), (0, "0.0 h"), (0.05, "0.1 h"), (67.6, "67.6 h"), (0.0001, "0.4 s"),
    (0.001, "3.6 s"), (1.0 / 60, "1.0 min"), (1e-9, "< 0.1 s"),
  ])
  func shortTimesReadInMinutes(hours: Double, text: String) {
    #expect(TextTable.hours(hours) == text)
  }

  @Test func tableCellsOfShortTimesReadInMinutes() {
    #expect(TextTable.hoursCell(22.0 / 512) == "2.6 min")
    #expect(TextTable.hoursCell(0) == "0.0")
    #expect(TextTable.hoursCell(198.04) == "198.0")
  }

  @Test func explainSaysMinutesForAShortPhase() {
    #expect(ExplainReport.duration(22.0 / 512) == "2.6 min")
    #expect(ExplainReport.duration(1_314.94) == "1,314.9 hours")
    #expect(ExplainReport.duration(0) == "0.0 hours")
  }

  @Test func equalEndsOfARangeReadOnce() {
    #expect(ExplainReport.range("16,384", "16,384") == "16,384")
    #expect(ExplainReport.range("3,508", "65,536") == "3,508 to 65,536")
  }

  @Test(arguments: [
    ("configs/deepseek-r1.yaml", "configs.deepseek-r1"), ("/tmp/x/a.yaml", "tmp.x.a"),
    ("./configs/a.yml", "configs.a"), ("configs//b.yaml", "configs.b"), ("c.yaml", "c"),
  ])
  func junitClassNamesHaveNoEmptySegments(file: String, classname: String) {
    #expect(JUnitReport.classname(file) == classname)
  }

  /// The reference run's page: the generate phase (sft-data) has its decode-step chart, the
  /// cold start reads minutes, and the config's expect: entries are held against the run.
  @Test func referencePageHasTheGenerateChartAndThePublishedFigures() throws {
    let path = ReferenceConfigTests.repository.appendingPathComponent("configs/deepseek-r1.yaml")
      .path
    let plan = try ConfigLoader.loadPlan(path: path)
    let result = try Simulation.run(plan, replications: 20, keepingTotals: true)
    let page = HTMLReport(
      result: result, traced: try TracedReplication(plan: plan), explain: try ExplainReport(plan),
      configText: "", command: "clustersim report configs/deepseek-r1.yaml"
    ).rendered()
    #expect(page.contains("aria-label=\"sft-data: milliseconds per decode step\""))
    #expect(page.contains(">2.6 min<"))
    #expect(page.contains("<section id=\"expectations\"><h2>Published against predicted</h2>"))
    #expect(page.contains("<a href=\"#expectations\">Published against predicted</a>"))
    #expect(page.contains(">phases.r1-zero.wall_clock_hours.mean<"))
    #expect(page.contains(">known miss<"))
    #expect(page.contains("as clustersim check holds them: "))
    // Without expect: entries there is no such section.
    let bare = try ConfigLoader.parsePlan(
      yaml: """
        cluster:
          pools: [{name: h100, chip: H100-SXM5-80GB, nodes: 2, price_per_gpu_hour: 2}]
        phases: [{name: a, pool: h100, gpus: 16, hours: 1}]
        simulation: {replications: 3}
        """, file: "bare.yaml")
    let plain = HTMLReport(
      result: try Simulation.run(bare, keepingTotals: true),
      traced: try TracedReplication(plan: bare),
      explain: try ExplainReport(bare), configText: "", command: "clustersim report bare.yaml"
    ).rendered()
    #expect(!plain.contains("expectations"))
  }
}
