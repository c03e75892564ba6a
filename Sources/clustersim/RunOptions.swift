import ArgumentParser
import ClusterSim
import ParallelCore

/// What a command that runs a config's replications says about its defaults: the help of
/// `--threads` (and of `--topology`, which `check` still reads), and the threads it uses when not
/// told.
protocol RunOptionDefaults {
  /// The help of `--threads`, naming the default.
  static var threadsHelp: ArgumentHelp { get }
  /// The help of `check`'s `--topology`, naming the default.
  static var topologyHelp: ArgumentHelp { get }
  /// Worker threads when `--threads` is not given.
  static func defaultThreads() -> Int
}

/// The options of the commands that run a config's replications (`simulate`, `bench`): how many
/// replications, on how many worker threads, on which host topology, and their checks.
struct RunOptions<Defaults: RunOptionDefaults>: ParsableArguments {
  // `.unconditional`: `--replications -1` reaches the range check below instead of reading as
  // a missing value followed by an unknown flag.
  @Option(
    parsing: .unconditional,
    help: "Replications to run, 1 to 1,000,000 (default: the config's simulation.replications, or 100).")
  var replications: Int?

  @Option(parsing: .unconditional, help: Defaults.threadsHelp)
  var threads: Int?

  @OptionGroup var hostTopology: HostTopologyFlag

  @Flag(
    help: "Run even when the estimated work passes one CPU-day (docs/config.md, \"Limits\").")
  var longRun = false

  func validate() throws {
    if let replications, !(1...SimulationSettings.maximumReplications).contains(replications) {
      throw ValidationError(
        "--replications must be between 1 and \(SimulationSettings.maximumReplications), "
          + "got \(replications)")
    }
    try Self.validate(threads: threads)
  }

  /// The range of `--threads`, shared with `check` (which takes no `--replications`).
  static func validate(threads: Int?) throws {
    if let threads, !(1...4096).contains(threads) {
      throw ValidationError("--threads must be between 1 and 4096, got \(threads)")
    }
  }

  /// Refuses a run estimated past `RunCost.limitCPUSeconds` unless `--long-run` is given, and
  /// says on one line of standard error how long a run past `RunCost.noticeCPUSeconds` will take:
  /// before any replication runs.
  func checkCost(_ plan: ProgramPlan, replications: Int) throws {
    let cost = RunCost(plan, replications: replications)
    let threads = threadCount
    if cost.cpuSeconds > RunCost.limitCPUSeconds, !longRun {
      throw FlagError(
        flag: "--replications",
        "this run would take \(cost.described), more than the one CPU-day a run may take "
          + "unless told; run fewer replications, or give --long-run to go ahead")
    }
    if cost.cpuSeconds > RunCost.noticeCPUSeconds {
      Console.error(
        "clustersim: note: this run will take \(cost.described), \(cost.onThreads(threads))")
    }
  }

  /// Worker threads: `--threads`, else the command's default.
  var threadCount: Int { threads ?? Defaults.defaultThreads() }

  /// The topology to run on: `--host-topology`, else `CLUSTERSIM_TOPOLOGY`, else this machine's.
  func machine() throws -> ParallelCore.Topology {
    try hostTopology.machine()
  }
}
