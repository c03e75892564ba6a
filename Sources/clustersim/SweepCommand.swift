import ArgumentParser
import ClusterSim
import ParallelCore
import Yams

/// `clustersim sweep CONFIG`: the config over a grid of GPU counts and config values, each point
/// re-planned and simulated, with the fastest, cheapest and Pareto-optimal points marked.
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Sweep a phase's GPUs and any config values; mark the fastest, cheapest and Pareto points.")

  @Argument(help: "The YAML config (see docs/config.md).")
  var config: String

  @Option(help: "The phase whose GPUs --gpus sets and whose figures are reported (default: the whole program).")
  var phase: String?

  @Option(help: "GPU counts: 128,256,512 or 128...4096x2 (doubling) or 256...2048+256 (steps).")
  var gpus: String?

  @Option(
    name: .customLong("set"),
    help: "KEY=V1,V2,...: a config value by key path, e.g. cluster.pools[h800].spare_nodes=0,2,4 (repeatable).")
  var sets: [String] = []

  @Option(
    name: .customLong("set-together"), parsing: .upToNextOption,
    help: ArgumentHelp(
      "KEY=V1,V2,... KEY=V1,V2,...: keys whose values move together (first with first, ...), e.g. 'cluster.pools[0].chip=H100-SXM5-80GB,B200-SXM-180GB' 'cluster.pools[0].price_per_gpu_hour=2.49,5'.",
      valueName: "KEY=VALUES"))
  var setTogether: [String] = []

  @Option(help: "Output format: table, csv or json.")
  var format: SweepReport.Format = .table

  @OptionGroup var seedFlag: SeedFlag
  var seed: UInt64? { seedFlag.seed }

  @Option(help: "Write the report to this file (atomically) instead of standard output.")
  var output: String?

  @Option(help: "Draw wall-clock hours and cost against GPUs in SVG (needs --gpus).")
  var plot: String?

  @Option(help: "Compute only shard K of N (K from 0) and write it as a part file to --output, for clustersim merge.")
  var shard: String?

  @Flag(help: "With --shard: keep the points the part file at --output already holds (same config, seed and grid) and compute the rest.")
  var resume = false

  @OptionGroup var runOptions: RunOptions<Simulate>

  func run() throws {
    for path in [output, plot].compactMap({ $0 }) { try AtomicFile.check(path) }
    let (sweep, root) = try makeSweep()
    if plot != nil, sweep.gpus == nil {
      throw SweepError(flag: "--plot", "draws against GPUs: give --gpus (and --phase)")
    }
    let machine = try runOptions.machine()
    let perPoint = runOptions.replications
    // Every point estimated as the config itself; a base config that cannot be planned alone
    // (its size is the swept one) is not estimated.
    if let base = try? ConfigLoader.parsePlan(root: root, file: config) {
      try runOptions.checkCost(
        base, replications: sweep.pointCount * (perPoint ?? sweep.configReplications))
    }
    if let shard {
      guard let output else {
        throw SweepError(flag: "--shard", "needs --output FILE for the part (merge the parts with clustersim merge)")
      }
      if plot != nil { throw SweepError(flag: "--plot", "draw the plot when merging: clustersim merge --plot") }
      try ShardedSweep(
        sweep: sweep, root: root, config: config, shard: try SweepShard(shard), output: output,
        resume: resume, seed: seed, replications: perPoint
      ).run(threads: runOptions.threadCount, topology: machine)
      return
    }
    if resume { throw SweepError(flag: "--resume", "resumes a shard: give --shard K/N (0/1 for a whole sweep)") }
    let progress = ProgressLine(total: sweep.pointCount * (perPoint ?? sweep.configReplications))
    let result = try sweep.run(
      replications: perPoint, seed: seed, threads: runOptions.threadCount, topology: machine,
      progress: progress.update)
    progress.finish()
    try Self.emit(result, format: format, output: output, plot: plot)
  }
}
extension SweepCommand {
  /// The sweep its flags ask for, and the composed config it changes (`root`, when the caller
  /// has composed it already).
  func makeSweep(root given: Node? = nil) throws -> (sweep: Sweep, root: Node) {
    let root = try given ?? ConfigLoader.compose(path: config)
    var axes = try sets.map { text throws(SweepError) in try SweepAxis(setting: text) }
    if !setTogether.isEmpty { axes += try SweepAxis.together(setTogether) }
    let counts = try gpus.map { text throws(SweepError) in try SweepAxis.gpuCounts(text) }
    return (try Sweep(root: root, file: config, phase: phase, gpus: counts, axes: axes), root)
  }

  /// Writes a sweep's report (to `output`, or standard output) and plot, all or none (`sweep` and
  /// `merge` alike).
  static func emit(
    _ result: SweepResult, format: SweepReport.Format, output: String?, plot: String?
  ) throws {
    let text = SweepReport(result).render(format)
    var files: [(text: String, path: String)] = []
    if let plot { files.append((SweepPlot(result).rendered(), plot)) }
    if let output { files.append((text, output)) }
    try AtomicFile.writeAll(files)
    if output == nil { print(text, terminator: "") }
  }
}

extension SweepReport.Format: ExpressibleByArgument {}
