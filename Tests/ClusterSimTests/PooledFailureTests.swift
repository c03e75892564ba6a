import Foundation
import SimKernel
import Testing

@testable import ClusterSim

/// Pooled failure clocks (one superposed process per exponential pool, `FailureClocks`) against
/// the model as stated, a clock per node and component: the same distributions on several
/// parameter sets and seeds, and no pooling where a law is not exponential.
@Suite struct PooledFailureTests {
  struct Case: CustomStringConvertible, Sendable {
    var name: String
    var program: Program
    var description: String { name }
  }

  static let h100 = ChipCatalog.builtIn["H100-SXM5-80GB"]!

  static func pool(
    _ name: String = "p", nodes: Int, spares: Int, _ components: [FailureComponent]
  ) -> Pool {
    Pool(
      name: name, chip: h100, nodes: nodes, spareNodes: spares, pricePerGPUHourUSD: 2,
      failures: FailureModel(components: components))
  }

  static func phase(
    _ name: String = "job", pool: Int = 0, nodes: Int, hours: Double, elastic: Bool = false,
    after: [Int] = []
  ) -> Phase {
    Phase(
      name: name, poolIndex: pool, gpus: 8 * nodes, dependencies: after, work: .hours(hours),
      checkpoint: CheckpointPolicy(
        intervalHours: 1, writeHours: 2.0 / 60, restoreHours: 0.05, restartHours: 0.25),
      elastic: elastic)
  }

  /// Daly's model (software faults, nothing goes down); two components of different rates, one
  /// taking nodes down for a lognormal repair, with idle spares that fail too; repairs so long
  /// that most nodes are down at once and an elastic phase shrinks (the rank scan of `upNode`);
  /// two pools, one exponential and pooled, one Weibull with a clock per node, and two phases.
  static let cases: [Case] = [
    Case(
      name: "daly",
      program: Program(
        source: "test",
        pools: [
          pool(nodes: 32, spares: 0, [
            FailureComponent(name: "soft", ratePerNodeHour: 1.0 / 200, takesNodeDown: false)
          ])
        ],
        phases: [phase(nodes: 32, hours: 100)])),
    Case(
      name: "two-components-spares",
      program: Program(
        source: "test",
        pools: [
          pool(nodes: 14, spares: 2, [
            FailureComponent(
              name: "gpu", ratePerNodeHour: 1.0 / 400,
              repair: .logNormal(mean: 24, standardDeviation: 12)),
            FailureComponent(name: "nccl", ratePerNodeHour: 1.0 / 900, takesNodeDown: false),
          ])
        ],
        phases: [phase(nodes: 14, hours: 150)])),
    Case(
      name: "mostly-down-elastic",
      program: Program(
        source: "test",
        pools: [
          pool(nodes: 8, spares: 0, [
            FailureComponent(name: "node", ratePerNodeHour: 0.05, repair: .fixed(100))
          ])
        ],
        phases: [phase(nodes: 8, hours: 40, elastic: true)])),
    Case(
      name: "two-pools",
      program: Program(
        source: "test",
        pools: [
          pool("exp", nodes: 16, spares: 1, [
            FailureComponent(name: "node", ratePerNodeHour: 1.0 / 300, repair: .exponential(mean: 6))
          ]),
          pool("aging", nodes: 8, spares: 1, [
            FailureComponent(
              name: "node", ratePerNodeHour: 1.0 / 300, shape: 0.7, repair: .fixed(6))
          ]),
        ],
        phases: [
          phase("first", pool: 0, nodes: 16, hours: 60),
          phase("second", pool: 1, nodes: 8, hours: 60, after: [0]),
        ])),
  ]

  /// Wall-clock hours and interruptions of `replications` replications.
  static func sample(
    _ program: Program, _ clocks: FailureClocks, seed: UInt64, replications: Int
  ) throws -> (hours: [Double], interruptions: [Double]) {
    let scheduler = try ProgramScheduler(program: program, failureClocks: clocks)
    var hours: [Double] = []
    var interruptions: [Double] = []
    for replication in 0..<replications {
      var stream = RandomStream(seed: seed, replication: UInt64(replication))
      let outcome = try scheduler.run(replication: replication, stream: &stream)
      hours.append(outcome.wallClockHours)
      interruptions.append(Double(outcome.phases.reduce(0) { $0 + $1.interruptions }))
    }
    return (hours, interruptions)
  }

  static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

  static func standardError(_ values: [Double]) -> Double {
    let m = mean(values)
    let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
    return (variance / Double(values.count)).squareRoot()
  }

  /// The two means differ by under 4 standard errors of their difference.
  static func expectSameMean(_ a: [Double], _ b: [Double], _ what: String) {
    let difference = abs(mean(a) - mean(b))
    let se = (pow(standardError(a), 2) + pow(standardError(b), 2)).squareRoot()
    #expect(difference < 4 * se, "\(what): means \(mean(a)) and \(mean(b)), se \(se)")
  }

  /// The p-quantile of `b` sits where `a` puts probability p, within 4 standard errors of a
  /// two-sample rank: |F_a(q_b) − p| < 4·√(p(1 − p)(1/n_a + 1/n_b)) (the order statistic's
  /// binomial spread, distribution-free).
  static func expectSameQuantile(_ a: [Double], _ b: [Double], _ p: Double, _ what: String) {
    let sortedB = b.sorted()
    let q = sortedB[Int((p * Double(b.count - 1)).rounded())]
    let below = Double(a.filter { $0 < q }.count) + 0.5 * Double(a.filter { $0 == q }.count)
    let rank = below / Double(a.count)
    let se = (p * (1 - p) * (1 / Double(a.count) + 1 / Double(b.count))).squareRoot()
    #expect(abs(rank - p) < 4 * se, "\(what): p\(Int(p * 100)) \(q) at rank \(rank) of the other")
  }

  @Test(arguments: cases)
  func pooledClocksGiveTheSameDistributions(_ test: Case) throws {
    for seed: UInt64 in [1, 2, 3] {
      let exact = try Self.sample(test.program, .perNode, seed: seed, replications: 1_500)
      let pooled = try Self.sample(test.program, .pooled, seed: seed + 100, replications: 1_500)
      let label = "\(test.name), seed \(seed)"
      Self.expectSameMean(exact.hours, pooled.hours, "\(label) hours")
      Self.expectSameMean(exact.interruptions, pooled.interruptions, "\(label) interruptions")
      for p in [0.1, 0.5, 0.9] {
        Self.expectSameQuantile(exact.hours, pooled.hours, p, "\(label) hours")
      }
    }
  }

  /// A pool with a Weibull component, alone or beside an exponential one, keeps a clock per node
  /// and component: its outcomes are the per-node model's, replication by replication.
  @Test func weibullPoolsAreNotPooled() throws {
    let weibull = FailureComponent(
      name: "aging", ratePerNodeHour: 1.0 / 100, shape: 1.5, repair: .fixed(4))
    let exponential = FailureComponent(
      name: "soft", ratePerNodeHour: 1.0 / 150, takesNodeDown: false)
    for components in [[weibull], [exponential, weibull]] {
      let program = Program(
        source: "test", pools: [Self.pool(nodes: 8, spares: 1, components)],
        phases: [Self.phase(nodes: 8, hours: 50)])
      let scheduler = try ProgramScheduler(program: program, failureClocks: .pooled)
      #expect(scheduler.pooled[0] == nil)
      #expect(scheduler.clockCount == 9 * components.count)
      let pooled = try Self.sample(program, .pooled, seed: 7, replications: 200)
      let exact = try Self.sample(program, .perNode, seed: 7, replications: 200)
      #expect(pooled.hours == exact.hours)
      #expect(pooled.interruptions == exact.interruptions)
      #expect(Self.mean(exact.interruptions) > 1)
    }
  }

  /// The pooled process's rate and component choice: λ = Σλ_c per node, component c drawn with
  /// probability λ_c / Σλ (counted over 100,000 draws, within 4 binomial standard errors).
  @Test func componentsAreDrawnByRate() throws {
    let model = FailureModel(components: [
      FailureComponent(name: "a", ratePerNodeHour: 0.01),
      FailureComponent(name: "never", ratePerNodeHour: 0),
      FailureComponent(name: "b", ratePerNodeHour: 0.03),
    ])
    let process = try #require(PooledFailures(model))
    #expect(abs(process.ratePerNodeHour - 0.04) < 1e-15)
    var stream = RandomStream(seed: 3, replication: 0)
    var counts = [0, 0, 0]
    let draws = 100_000
    for _ in 0..<draws { counts[process.component(&stream)] += 1 }
    #expect(counts[1] == 0)
    let share = Double(counts[0]) / Double(draws)
    #expect(abs(share - 0.25) < 4 * (0.25 * 0.75 / Double(draws)).squareRoot())
    // Mean hours to the next failure of 50 up nodes: 1 / (50 · 0.04) = 0.5.
    var total = 0.0
    let rate = process.ratePerNodeHour
    for _ in 0..<draws {
      total += PooledFailures.hoursToNextFailure(upNodes: 50, ratePerNodeHour: rate, &stream)
    }
    #expect(abs(total / Double(draws) - 0.5) < 4 * 0.5 / Double(draws).squareRoot())
    #expect(
      PooledFailures.hoursToNextFailure(upNodes: 0, ratePerNodeHour: rate, &stream) == .infinity)
    #expect(PooledFailures(FailureModel.none) == nil)
  }
}
