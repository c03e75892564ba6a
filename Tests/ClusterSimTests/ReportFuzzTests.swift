import Foundation
import SimKernel
import Testing
import Yams

@testable import ClusterSim

/// Issue 25: the fuzz test also drives `report`. Configs mutated as in `ConfigFuzzTests` (and
/// every number of two shipped configs set to an extreme) that load are run for a few
/// replications and rendered by every report: the table, CSV, JSON, the Gantt and the HTML page.
/// None may trap (a checkpoint interval of 1e307 hours once trapped the table and the page), and
/// each page must be whole.
@Suite struct ReportFuzzTests {
  static let configs = [
    "configs/example.yaml", "configs/spares/second-phase.yaml", "configs/bench-reliability.yaml",
    "configs/validation/megascale-175b.yaml",
  ]
  static let randomCases = 40
  static let extremes = ["1e15", "1e300", "1e-300", "4.9e-324", "0.001"]

  @Test func mutatedConfigsRenderEveryReport() throws {
    var stream = RandomStream(seed: 25, replication: 0)
    var rendered = 0
    var refused = 0
    for file in Self.configs {
      let text = try String(
        contentsOf: ReferenceConfigTests.repository.appendingPathComponent(file), encoding: .utf8)
      let root = try #require(try Yams.compose(yaml: text))
      for index in 0..<Self.randomCases {
        // Numbers three times as often as the other mutations: the report's failures were theirs.
        let kinds = ConfigFuzzTests.Mutation.allCases + [.extremeNumber, .extremeNumber]
        let mutation = kinds[Int(stream.next() % UInt64(kinds.count))]
        let mutated = ConfigFuzzTests.mutate(root, text: text, mutation, &stream)
        Self.render(mutated, file: "fuzz/\(file)#\(index)") ? (rendered += 1) : (refused += 1)
      }
    }
    print("report fuzz: \(rendered) rendered, \(refused) refused or failed")
    #expect(rendered > 0)
  }

  /// Every number of the config, one at a time, set to each extreme.
  @Test(arguments: ["configs/example.yaml", "configs/bench-reliability.yaml"])
  func everyNumberAtEveryExtremeRenders(file: String) throws {
    let text = try String(
      contentsOf: ReferenceConfigTests.repository.appendingPathComponent(file), encoding: .utf8)
    let root = try #require(try Yams.compose(yaml: text))
    var paths: [[ConfigFuzzTests.PathStep]] = []
    ConfigFuzzTests.collect(root, [], &paths)
    let numeric = paths.filter { path in
      var node: Node? = root
      for step in path {
        switch step {
        case .key(let key): node = node?.mapping?[key]
        case .index(let index): node = node?.sequence.flatMap { index < $0.count ? $0[index] : nil }
        }
      }
      return node?.scalar.map { Double($0.string) != nil } ?? false
    }
    #expect(numeric.count >= 5)
    var rendered = 0
    for path in numeric {
      for extreme in Self.extremes {
        var node = root
        ConfigFuzzTests.set(&node, at: path[...], to: Node(extreme))
        let mutated = try Yams.serialize(node: node)
        if Self.render(mutated, file: "fuzz/\(file)") { rendered += 1 }
      }
    }
    #expect(rendered > 0)
  }

  /// Loads, runs 3 replications and renders every report; true when it rendered, false when the
  /// config or the run was refused (with one-line, located messages).
  static func render(_ text: String, file: String) -> Bool {
    let plan: ProgramPlan
    do {
      plan = try ConfigLoader.parsePlan(yaml: text, file: file)
    } catch {
      for line in error.description.split(separator: "\n") {
        #expect(line.hasPrefix(file + ":"), "\(line.prefix(200))")
      }
      return false
    }
    guard RunCost(plan, replications: 3).cpuSeconds < 10 else { return false }
    do {
      let result = try Simulation.run(plan, replications: 3, keepingTotals: true)
      let traced = try TracedReplication(plan: plan)
      let report = ResultReport(result)
      for format in ResultReport.Format.allCases {
        #expect(report.render(format).hasSuffix("\n"), "\(file): \(format)")
      }
      #expect(GanttReport(traced).rendered().hasSuffix("</svg>\n"), "\(file): Gantt")
      let page = HTMLReport(
        result: result, traced: traced, explain: try ExplainReport(plan), configText: text,
        command: "clustersim report \(file) --html x.html"
      ).rendered()
      #expect(page.hasSuffix("</html>\n"), "\(file): page")
      return true
    } catch let error as SimulationError {
      #expect(!error.message.contains("\n"), "\(file): a two-line run error")
      return false
    } catch {
      Issue.record("\(file): unexpected \(error)")
      return false
    }
  }
}
