import Foundation
import SimKernel
import Testing
import Yams

@testable import ClusterSim

/// Sharded sweeps: the partition, part files, and merging them into the unsharded sweep's bytes.
@Suite struct SweepShardTests {
  /// Every point in exactly one shard, for N = 1...17 and grids of 0 to 40 points with random
  /// costs; Graham's bound for list scheduling holds (no shard's load exceeds the mean load plus
  /// the largest cost); the same costs always give the same partition.
  @Test func partitionCoversEveryPointOnceAndBalances() {
    var stream = RandomStream(seed: 8, replication: 0)
    for shards in 1...17 {
      for points in [0, 1, 2, 5, 16, 17, 40] {
        let costs = (0..<points).map { _ in
          stream.nextUnitInterval() < 0.2 ? 1 : 1 + 1_000 * stream.nextUnitInterval()
        }
        let owners = SweepShard.partition(costs: costs, shards: shards)
        #expect(owners.count == points)
        #expect(owners.allSatisfy { (0..<shards).contains($0) })
        let assigned = (0..<shards).map { k in owners.indices.filter { owners[$0] == k } }
        #expect(assigned.flatMap { $0 }.sorted() == Array(0..<points))
        let loads = assigned.map { $0.reduce(0) { $0 + costs[$1] } }
        let bound = costs.reduce(0, +) / Double(shards) + (costs.max() ?? 0)
        #expect(loads.allSatisfy { $0 <= bound + 1e-9 }, "\(shards) shards, \(points) points")
        #expect(SweepShard.partition(costs: costs, shards: shards) == owners)
      }
    }
    // Balanced by cost, not count: one point as dear as the other five together gets a shard.
    #expect(SweepShard.partition(costs: [5, 1, 1, 1, 1, 1], shards: 2) == [0, 1, 1, 1, 1, 1])
  }

  @Test func shardArguments() throws {
    #expect(try SweepShard("0/4") == SweepShard(index: 0, count: 4))
    #expect(try SweepShard("3/4") == SweepShard(index: 3, count: 4))
    for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/4/2", "", "0/10001"] {
      #expect(throws: SweepError.self, "\(bad)") { try SweepShard(bad) }
    }
  }

  /// Runs `sweep`'s shards the way `clustersim sweep --shard` does, through part files on disk.
  static func parts(
    _ sweep: Sweep, root: Node, shards: Int, seed: UInt64? = nil, config: String = "configs/x.yaml"
  ) throws -> [(path: String, part: SweepPart)] {
    let owners = SweepShard.partition(costs: sweep.expectedCosts(replications: nil), shards: shards)
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("clustersim-shards-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return try (0..<shards).map { shard in
      let assigned = owners.indices.filter { owners[$0] == shard }
      let origin = SweepPart.Origin(
        config: config, configDigest: SweepPart.digest(root), phase: sweep.phase,
        axes: sweep.axes.map(\.key), grid: sweep.points, seed: seed, replications: nil,
        shards: shards)
      var part = SweepPart(origin: origin, shard: shard, assigned: assigned, points: [])
      try sweep.run(assigned, replications: nil, seed: seed) { (index, result) throws(SweepError) in
        part.points.append(SweepPart.Entry(index: index, result: result))
      }
      let path = folder.appendingPathComponent("part-\(shard).json").path
      try part.encoded().write(toFile: path, atomically: true, encoding: .utf8)
      return (path, try SweepPart.read(path: path))
    }
  }

  /// Merged parts render exactly as the unsharded sweep, in every format, for 1, 2, 3 and 7
  /// shards (7 is more shards than some have points: those parts are empty), with an
  /// infeasible point among them.
  @Test func mergeEqualsTheUnshardedSweep() throws {
    let root = try ConfigLoader.compose(yaml: SweepTests.config, file: "configs/x.yaml")
    // 24 GPUs leave dp 6, which does not divide the batch of 512: infeasible.
    let sweep = try SweepTests.sweep(gpus: [16, 24, 64], ["cluster.pools[a100].spare_nodes=0,1"])
    let whole = try sweep.run(replications: nil)
    #expect(whole.points.filter { $0.measures == nil }.count == 2)
    #expect(whole.points.compactMap(\.measures).allSatisfy { $0.interruptions ?? 0 > 0 })
    for shards in [1, 2, 3, 7] {
      let merged = try SweepMerge(try Self.parts(sweep, root: root, shards: shards)).result()
      for format in [SweepReport.Format.table, .csv, .json] {
        #expect(SweepReport(merged).render(format) == SweepReport(whole).render(format))
      }
      #expect(SweepPlot(merged).rendered() == SweepPlot(whole).rendered())
    }
  }

  /// Parts of different sweeps, and incomplete, doubled or missing shards, are refused, each
  /// with what differs.
  @Test func mergeRefusesMismatchedParts() throws {
    let root = try ConfigLoader.compose(yaml: SweepTests.config, file: "configs/x.yaml")
    let sweep = try SweepTests.sweep(gpus: [16, 32])
    let parts = try Self.parts(sweep, root: root, shards: 2)
    func refusal(_ parts: [(path: String, part: SweepPart)]) -> String? {
      do {
        _ = try SweepMerge(parts).result()
        return nil
      } catch {
        return error.description
      }
    }
    var seeded = parts[1]
    seeded.part.origin.seed = 9
    #expect(refusal([parts[0], seeded])?.contains("seed 9, not the config's") == true)
    var older = parts[1]
    older.part.origin.version = "0.1.0"
    #expect(refusal([parts[0], older])?.contains("ClusterSim 0.1.0") == true)
    var other = parts[1]
    other.part.origin.configDigest = "1234"
    #expect(refusal([parts[0], other])?.contains("digest 1234") == true)
    var regridded = parts[1]
    regridded.part.origin.grid.removeLast()
    #expect(refusal([parts[0], regridded])?.contains("another grid") == true)
    var cut = parts[1]
    cut.part.points.removeAll()
    #expect(refusal([parts[0], cut])?.contains("incomplete: 0 of 1 points") == true)
    #expect(refusal([parts[0], parts[0]])?.contains("shard 0 is also") == true)
    #expect(refusal([parts[0]])?.contains("missing shard 1 of 2") == true)
    #expect(refusal(parts) == nil)
    // A part file edited so its points leave its assignment is refused on reading.
    var edited = parts[0].part
    edited.points.append(SweepPart.Entry(index: 1, result: edited.points[0].result))
    let path = parts[0].path + ".edited"
    try edited.encoded().write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: SweepError.self) { try SweepPart.read(path: path) }
  }

  /// The digest tells configs apart by content, not by name, and is stable.
  @Test func digestFollowsTheDocument() throws {
    let a = try ConfigLoader.compose(yaml: SweepTests.config, file: "a.yaml")
    let b = try ConfigLoader.compose(yaml: SweepTests.config, file: "b.yaml")
    let c = try ConfigLoader.compose(
      yaml: SweepTests.config.replacingOccurrences(of: "seed: 3", with: "seed: 4"), file: "a.yaml")
    #expect(SweepPart.digest(a) == SweepPart.digest(b))
    #expect(SweepPart.digest(a) != SweepPart.digest(c))
  }
}
