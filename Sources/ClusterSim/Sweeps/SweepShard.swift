/// One of N deterministic parts of a sweep's grid (`clustersim sweep --shard K/N`,
/// `docs/distributed.md`). Shard K of N computes exactly the points `partition` gives it, with the
/// same random streams as the whole sweep (a point's streams depend on the seed and replication
/// only), so merging the N parts gives the whole sweep's output byte for byte.
public struct SweepShard: Sendable, Hashable, Codable {
  /// 0 ..< count.
  public var index: Int
  public var count: Int

  /// The most shards a sweep may be cut into.
  public static let maximumCount = 10_000

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// "K/N", K from 0 to N − 1 (a Slurm array task id and the array's size).
  public init(_ text: String) throws(SweepError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
      throw SweepError(flag: "--shard", "\(ConfigValue.quoted(text)) is not K/N (e.g. 0/4)")
    }
    guard (1...Self.maximumCount).contains(n) else {
      throw SweepError(flag: "--shard", "N must be 1 to \(Self.maximumCount), not \(n)")
    }
    guard (0..<n).contains(k) else {
      throw SweepError(flag: "--shard", "K must be 0 to \(n - 1) for \(n) shards, not \(k)")
    }
    self.init(index: k, count: n)
  }

  public var description: String { "\(index)/\(count)" }

  /// The shard of every point, balanced by cost: points in decreasing cost (ties by position)
  /// each go to the shard with the least cost so far (ties to the lowest shard), Graham's
  /// longest-processing-time rule ("Bounds on multiprocessing timing anomalies", SIAM J. Appl.
  /// Math. 17, 1969: at most 4/3 of the best makespan). Deterministic in the costs and the count.
  public static func partition(costs: [Double], shards: Int) -> [Int] {
    precondition(shards >= 1, "a partition needs at least one shard")
    let order = costs.indices.sorted { costs[$0] > costs[$1] || (costs[$0] == costs[$1] && $0 < $1) }
    var load = [Double](repeating: 0, count: shards)
    var shardOf = [Int](repeating: 0, count: costs.count)
    for point in order {
      var lightest = 0
      for shard in 1..<shards where load[shard] < load[lightest] { lightest = shard }
      shardOf[point] = lightest
      load[lightest] += costs[point]
    }
    return shardOf
  }
}
