import ArgumentParser
import ClusterSim

/// `clustersim merge PART...`: the sweep whose shards the parts are, rendered as the unsharded
/// sweep renders it, byte for byte (`docs/distributed.md`).
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Merge the part files of a sharded sweep (sweep --shard K/N) into the sweep's report.")

  @Argument(help: "The part files, one per shard, in any order.")
  var parts: [String]

  @Option(help: "Output format: table, csv or json.")
  var format: SweepReport.Format = .table

  @Option(help: "Write the report to this file (atomically) instead of standard output.")
  var output: String?

  @Option(help: "Draw wall-clock hours and cost against GPUs in SVG (the sweep needs --gpus).")
  var plot: String?

  func run() throws {
    for path in [output, plot].compactMap({ $0 }) { try AtomicFile.check(path) }
    guard !parts.isEmpty else { throw SweepError(flag: "PART", "give the part files to merge") }
    let read = try parts.map { path throws(SweepError) in (path, try SweepPart.read(path: path)) }
    let result = try SweepMerge(read).result()
    if plot != nil, result.points.first?.point.gpus == nil {
      throw SweepError(flag: "--plot", "draws against GPUs: the sweep had no --gpus")
    }
    try SweepCommand.emit(result, format: format, output: output, plot: plot)
  }
}
