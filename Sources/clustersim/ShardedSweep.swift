import ClusterSim
import Foundation
import ParallelCore
import Yams

/// `clustersim sweep ... --shard K/N --output PART [--resume]`: computes shard K's points and
/// writes the part file again, atomically, after every point (`docs/distributed.md`).
struct ShardedSweep {
  var sweep: Sweep
  var root: Node
  var config: String
  var shard: SweepShard
  var output: String
  var resume: Bool
  var seed: UInt64?
  var replications: Int?

  func run(threads: Int, topology: Topology?) throws {
    let costs = sweep.expectedCosts(replications: replications)
    let owners = SweepShard.partition(costs: costs, shards: shard.count)
    let assigned = owners.indices.filter { owners[$0] == shard.index }
    let origin = SweepPart.Origin(
      config: config, configDigest: SweepPart.digest(root), phase: sweep.phase,
      axes: sweep.axes.map(\.key), grid: sweep.points, seed: seed, replications: replications,
      shards: shard.count)
    var part = SweepPart(origin: origin, shard: shard.index, assigned: assigned, points: [])
    if resume, FileManager.default.fileExists(atPath: output) {
      let previous = try SweepPart.read(path: output)
      guard previous.origin == origin, previous.shard == shard.index,
        previous.assigned == assigned
      else {
        throw SweepError(
          flag: "--resume",
          "\(output) was computed from another config, version, seed, grid or shard; "
            + "remove it or run without --resume")
      }
      part.points = previous.points
    }
    let resumed = part.points.count
    let done = Set(part.points.map(\.index))
    let todo = assigned.filter { !done.contains($0) }
    try Self.write(part, to: output)
    let total = todo.count * (replications ?? sweep.configReplications)
    let progress = ProgressLine(total: max(1, total))
    try sweep.run(
      todo, replications: replications, seed: seed, threads: threads, topology: topology,
      progress: progress.update
    ) { (index, result) throws(SweepError) in
      part.points.append(SweepPart.Entry(index: index, result: result))
      part.points.sort { $0.index < $1.index }
      try Self.write(part, to: output)
    }
    progress.finish()
    let note = resumed > 0 ? " (\(resumed) resumed from the file)" : ""
    FileHandle.standardError.write(
      Data(
        "shard \(shard.index)/\(shard.count): \(part.points.count) of \(sweep.points.count) points\(note), in \(output)\n"
          .utf8))
  }

  static func write(_ part: SweepPart, to path: String) throws(SweepError) {
    do {
      try AtomicFile.write(part.encoded(), to: path)
    } catch {
      throw SweepError(flag: "--output", error.description)
    }
  }
}
