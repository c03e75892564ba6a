import Foundation
import ParallelCore
import SimKernel
import Testing

@testable import ClusterSim

/// The multithreaded core: identical output for any threads and topology, the streaming
/// statistics' bounds, and failures reported with their replication.
@Suite struct ParallelRunTests {
  static func benchProgram() throws -> Program {
    try ConfigLoader.load(
      path: ReferenceConfigTests.repository.appendingPathComponent("configs/bench-reliability.yaml")
        .path)
  }

  /// 300 replications (5 chunks) of the reliability benchmark give byte-identical JSON on 1, 2
  /// and 7 threads and on synthetic topologies 1x2, 2x1 and 2x4.
  @Test func sameOutputForEveryThreadCountAndTopology() throws {
    let program = try Self.benchProgram()
    let reference = ResultReport(try Simulation.run(program, replications: 300)).render(.json)
    for (threads, spec) in [(2, "1x2"), (7, "2x4"), (2, "2x1"), (7, "1x2"), (1, "2x4")] {
      let topology = try #require(Topology.parse(spec))
      let result = try Simulation.run(
        program, replications: 300, threads: threads, topology: topology)
      #expect(ResultReport(result).render(.json) == reference, "\(threads) threads on \(spec)")
    }
  }

  /// A replication that fails stops the pool, and the error names the replication and the seed.
  @Test func failureNamesTheReplicationAndSeed() {
    let pool = Pool(
      name: "p", chip: ChipCatalog.builtIn["H100-SXM5-80GB"]!, nodes: 8, spareNodes: 8,
      pricePerGPUHourUSD: 2,
      failures: FailureModel(components: [
        FailureComponent(name: "n", ratePerNodeHour: 1, repair: .fixed(0.1))
      ]))
    let program = Program(
      source: "x", pools: [pool],
      phases: [Phase(name: "hopeless", poolIndex: 0, gpus: 64, work: .hours(500))])
    let error = #expect(throws: SimulationError.self) {
      _ = try Simulation.run(
        program, seed: 77, replications: 500, threads: 2,
        topology: .synthetic(nodes: 1, cpusPerNode: 2), maximumEvents: 2_000)
    }
    #expect(error?.replication == 0)
    #expect(error?.seed == 77)
    #expect(error?.description.hasPrefix("replication 0 (seed 77) at ") == true)
  }

  /// DDSketch's guarantee: every quantile within 0.5% of the exact order statistic around it
  /// (200,000 lognormal values of mean 100, sd 80), and negative, zero and positive values all
  /// land where they belong.
  @Test func sketchQuantilesWithinTheirBound() {
    var stream = RandomStream(seed: 5, replication: 0)
    let law = Distribution.logNormal(mean: 100, standardDeviation: 80)
    var values: [Double] = []
    var sketch = QuantileSketch()
    for _ in 0..<200_000 {
      let value = law.sample(using: &stream)
      values.append(value)
      sketch.add(value)
    }
    values.sort()
    for q in [0.01, 0.1, 0.5, 0.9, 0.99, 0.999] {
      let rank = Int((q * Double(values.count - 1)).rounded(.down))
      let exact = values[rank]
      #expect(abs(sketch.quantile(q) - exact) <= QuantileSketch.relativeAccuracy * exact)
    }
    var mixed = QuantileSketch()
    for value in [-10.0, -1, 0, 0, 1, 10] { mixed.add(value) }
    #expect(abs(mixed.quantile(0) + 10) <= 0.05)
    #expect(mixed.quantile(0.4) == 0)
    #expect(abs(mixed.quantile(1) - 10) <= 0.05)
  }

  /// Beyond the exact limit a summary keeps no values, its sketch stays small whatever the count,
  /// and splitting the values into parts merged in order gives the same summary as one pass.
  @Test func streamingMemoryIsBounded() {
    let n = 1_000_000
    var whole = RunningStatistic(replications: n)
    var parts = [RunningStatistic](repeating: RunningStatistic(replications: n), count: 4)
    var stream = RandomStream(seed: 9, replication: 0)
    for index in 0..<n {
      let value = Distribution.exponential(mean: 50).sample(using: &stream)
      whole.add(value)
      parts[index * 4 / n].add(value)
    }
    var merged = parts[0]
    for part in parts.dropFirst() { merged.merge(part) }
    #expect(whole.values == nil)
    #expect((whole.sketch?.bucketCount ?? .max) < 3_000)
    #expect(merged.sketch == whole.sketch)
    let a = whole.statistic
    let b = merged.statistic
    #expect(a.p50 == b.p50 && a.p99 == b.p99 && a.min == b.min && a.max == b.max)
    #expect(abs(a.mean - 50) < 0.5 && abs(a.mean - b.mean) < 1e-9)
    #expect(abs(a.standardDeviation - b.standardDeviation) < 1e-9)
    // Below the limit the quantiles are exact: the type-7 quantile of the values.
    var small = RunningStatistic(replications: 5)
    for value in [5.0, 1, 4, 2, 3] { small.add(value) }
    #expect(small.statistic.p50 == 3 && small.statistic.p90 == 4.6)
  }
}
