/// The parts of a sharded sweep put back together: every part computed from the same config,
/// version, seed, replications and grid, one part per shard, each complete, every point exactly
/// once. Each refusal names the part and what differs.
public struct SweepMerge {
  public var parts: [(path: String, part: SweepPart)]

  public init(_ parts: [(path: String, part: SweepPart)]) {
    self.parts = parts
  }

  public func result() throws(SweepError) -> SweepResult {
    guard let (firstPath, first) = parts.first else {
      throw SweepError(flag: "PART", "no part to merge")
    }
    let origin = first.origin
    for (path, part) in parts.dropFirst() {
      let other = part.origin
      let differences = [
        other.version != origin.version ? "ClusterSim \(other.version), not \(origin.version)" : nil,
        other.configDigest != origin.configDigest || other.config != origin.config
          ? "config \(other.config) (digest \(other.configDigest)), not \(origin.config) (digest \(origin.configDigest))"
          : nil,
        other.seed != origin.seed ? "seed \(Self.text(other.seed)), not \(Self.text(origin.seed))" : nil,
        other.replications != origin.replications
          ? "replications \(Self.text(other.replications)), not \(Self.text(origin.replications))" : nil,
        other.phase != origin.phase || other.axes != origin.axes || other.grid != origin.grid
          ? "another grid (--phase, --gpus or --set)" : nil,
        other.shards != origin.shards ? "\(other.shards) shards, not \(origin.shards)" : nil,
      ].compactMap { $0 }
      if let difference = differences.first {
        throw SweepError(flag: path, "not a shard of the same sweep as \(firstPath): \(difference)")
      }
    }
    // Nothing a part says is used before it is checked (a part read from a file already was).
    for (path, part) in parts { try part.validate(path: path) }
    var byShard: [Int: String] = [:]
    for (path, part) in parts {
      if let other = byShard[part.shard] {
        throw SweepError(flag: path, "shard \(part.shard) is also \(other)")
      }
      byShard[part.shard] = path
      guard part.isComplete else {
        throw SweepError(
          flag: path,
          "shard \(part.shard) is incomplete: \(part.points.count) of \(part.assigned.count) points "
            + "(run it again with --resume)")
      }
    }
    let missing = (0..<origin.shards).filter { byShard[$0] == nil }
    guard missing.isEmpty else {
      throw SweepError(
        flag: "PART",
        "missing shard\(missing.count == 1 ? "" : "s") "
          + "\(missing.map(String.init).joined(separator: ", ")) of \(origin.shards)")
    }
    var results = [SweepResult.PointResult?](repeating: nil, count: origin.grid.count)
    for (path, part) in parts {
      for entry in part.points {
        guard results[entry.index] == nil else {
          throw SweepError(flag: path, "point \(entry.index + 1) is in two parts")
        }
        results[entry.index] = entry.result
      }
    }
    if let hole = results.firstIndex(where: { $0 == nil }) {
      throw SweepError(flag: "PART", "no part has point \(hole + 1) (were the parts cut by another partition?)")
    }
    return SweepResult(
      file: origin.config, phase: origin.phase, axes: origin.axes, points: results.compactMap { $0 })
  }

  static func text<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "the config's" }
}
