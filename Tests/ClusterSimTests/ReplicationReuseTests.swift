import Foundation
import SimKernel
import Testing

@testable import ClusterSim

/// A run reset between replications (`ReplicationRun.reset`, as `Simulation.run` does) gives
/// each replication exactly the outcome of a new run, on programs that use every part of the
/// state: failures with repairs and spares, maintenance, submit times, dependencies, several
/// pools, per-node and pooled clocks.
@Suite struct ReplicationReuseTests {
  static let configs = [
    "configs/deepseek-r1.yaml", "configs/bench-reliability.yaml", "configs/spares/no-spares.yaml",
    "configs/spares/second-phase.yaml",
  ]

  /// Two pools (one exponential, one Weibull), maintenance on the first, a phase submitted late,
  /// a dependency and an elastic phase.
  static var handMade: Program {
    var fast = PooledFailureTests.pool("fast", nodes: 6, spares: 1, [
      FailureComponent(name: "node", ratePerNodeHour: 1.0 / 80, repair: .exponential(mean: 5)),
      FailureComponent(name: "soft", ratePerNodeHour: 1.0 / 120, takesNodeDown: false),
    ])
    fast.failures.maintenance = Maintenance(everyHours: 30, durationHours: 2)
    let aging = PooledFailureTests.pool("aging", nodes: 4, spares: 0, [
      FailureComponent(name: "node", ratePerNodeHour: 1.0 / 60, shape: 1.4, repair: .fixed(8))
    ])
    var late = PooledFailureTests.phase("late", pool: 0, nodes: 3, hours: 20)
    late.submitAtHours = 15
    return Program(
      source: "test", pools: [fast, aging],
      phases: [
        PooledFailureTests.phase("first", pool: 0, nodes: 6, hours: 40),
        PooledFailureTests.phase("elastic", pool: 1, nodes: 4, hours: 50, elastic: true),
        PooledFailureTests.phase("after", pool: 0, nodes: 4, hours: 10, after: [0]),
        late,
      ])
  }

  static func expectResetEqualsNew(_ program: Program, _ label: String) throws {
    for clocks in [FailureClocks.pooled, .perNode] {
      let scheduler = try ProgramScheduler(program: program, failureClocks: clocks)
      var reused = ReplicationRun<NoObserver>(
        scheduler: scheduler, replication: 0, observer: NoObserver())
      var interrupted = 0
      for replication in 0..<12 {
        if replication > 0 { reused.reset(replication: replication) }
        var first = RandomStream(seed: 5, replication: UInt64(replication))
        var second = first
        let fresh = try scheduler.run(replication: replication, stream: &first)
        #expect(try reused.run(&second) == fresh, "\(label) replication \(replication)")
        interrupted += fresh.phases.reduce(0) { $0 + $1.interruptions + $1.plannedInterruptions }
      }
      #expect(interrupted > 0, "\(label): no interruption to carry state across")
    }
  }

  @Test(arguments: configs)
  func resetRunsEqualNewRuns(_ config: String) throws {
    let path = ReferenceConfigTests.repository.appendingPathComponent(config).path
    try Self.expectResetEqualsNew(try ConfigLoader.load(path: path), config)
  }

  @Test func resetRunsEqualNewRunsWithMaintenanceAndSubmitTimes() throws {
    try Self.expectResetEqualsNew(Self.handMade, "hand-made")
  }
}
