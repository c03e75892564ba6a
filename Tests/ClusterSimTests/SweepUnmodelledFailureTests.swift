import Testing
import Yams

@testable import ClusterSim

/// A sweep of a phase whose pools have no failure model says so (issue 25): no goodput of 1 and
/// no 0 interruptions as if measured; the same phase on a pool with failures gets its figures.
@Suite struct SweepUnmodelledFailureTests {
  @Test func aPoolWithoutFailuresIsNotModelledInTheSweep() throws {
    // The same config with its pool's failures: block taken out.
    let without = SweepTests.config.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !["failures:", "components:", "per_node_day"].contains(where: $0.contains) }
      .joined(separator: "\n")
    #expect(without != SweepTests.config)
    for (text, modelled) in [(without, false), (SweepTests.config, true)] {
      let root = try ConfigLoader.compose(yaml: text, file: "x.yaml")
      let sweep = try Sweep(
        root: root, file: "x.yaml", phase: "pretrain", gpus: [16, 32], axes: [])
      let result = try sweep.run(replications: 20)
      let measures = result.points.compactMap(\.measures)
      #expect(measures.count == 2)
      #expect(measures.allSatisfy { $0.failuresModelled == modelled })
      let table = SweepReport(result).table()
      let json = SweepReport(result).json()
      if modelled {
        #expect(measures.allSatisfy { ($0.interruptions ?? 0) > 0 && ($0.goodput ?? 1) < 1 })
        #expect(!table.contains("not modelled"))
      } else {
        #expect(measures.allSatisfy { $0.interruptions == nil && $0.goodput == nil })
        #expect(table.contains("  not modelled  "))
        #expect(table.hasSuffix("not modelled: no pool the phase may run on has a failure model "
          + "(no failures: block), so nothing interrupts it there\n"))
        guard case .array(let points)? = json.member("points") else {
          Issue.record("no points")
          return
        }
        #expect(points.allSatisfy { $0.member("failure_model") == .bool(false) && $0.member("goodput") == .null })
      }
    }
  }
}
