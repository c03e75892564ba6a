import ArgumentParser
import ClusterSim
import ParallelCore

/// `clustersim simulate CONFIG`: runs the program's replications and prints the summary.
struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate a training program and report wall-clock hours, GPU-hours and cost.")

  @Argument(help: "The YAML config (see docs/config.md).")
  var config: String

  @Option(help: "Output format: table, json or csv.")
  var format: ResultReport.Format = .table

  @OptionGroup var seedFlag: SeedFlag
  var seed: UInt64? { seedFlag.seed }

  @Option(help: "Write the report to this file (atomically) instead of standard output.")
  var output: String?

  @Option(help: "Write one replication as a Chrome trace (opens in Perfetto, chrome://tracing).")
  var trace: String?

  @Option(help: "Write one replication as a Gantt chart in SVG.")
  var gantt: String?

  @OptionGroup var traceFlag: TraceReplicationFlag

  @OptionGroup var ganttFlags: GanttFlags

  @OptionGroup var runOptions: RunOptions<Simulate>

  func run() throws {
    // Every destination is checked before the work, so a bad path costs nothing.
    for path in [output, trace, gantt].compactMap({ $0 }) { try AtomicFile.check(path) }
    let plan = try ConfigLoader.loadPlan(path: config)
    let program = plan.program
    let machine = try runOptions.machine()
    let count = runOptions.replications ?? program.simulation.replications
    try runOptions.checkCost(plan, replications: count)
    var traced: TracedReplication?
    if trace != nil || gantt != nil {
      try traceFlag.check(replications: count)
      traced = try traceFlag.traced(plan, seed: seed)
      if gantt != nil, let traced { try ganttFlags.check(endHours: traced.outcome.wallClockHours) }
    }
    let progress = ProgressLine(total: count)
    let result = try Simulation.run(
      plan, seed: seed, replications: runOptions.replications,
      threads: runOptions.threadCount, topology: machine, progress: progress.update)
    progress.finish()
    // Pools a phase never ran on in any replication are not warned about.
    let runs = result.phases.map(\.runsByPool)
    for warning in plan.repairWarnings(ran: { runs[$0][$1] > 0 }) {
      Console.error("clustersim: warning: \(warning)")
    }
    let text = ResultReport(result).render(format)
    var files: [(text: String, path: String)] = []
    if let traced {
      if let trace { files.append((TraceReport(traced).rendered(), trace)) }
      if let gantt { files.append((GanttReport(traced, options: try ganttFlags.options()).rendered(), gantt)) }
    }
    if let output { files.append((text, output)) }
    // All files of the run are renamed into place only once all were written.
    try AtomicFile.writeAll(files)
    if output == nil { print(text, terminator: "") }
  }
}

extension Simulate: RunOptionDefaults {
  static var threadsHelp: ArgumentHelp {
    "Worker threads (default: every CPU this process may use)."
  }
  static var topologyHelp: ArgumentHelp {
    ArgumentHelp(
      "A synthetic NUMA topology NODESxCPUS, e.g. 2x4 "
        + "(default: CLUSTERSIM_TOPOLOGY, else this machine's).")
  }

  static func defaultThreads() -> Int { ParallelCore.Topology.usableCPUs() }
}

extension ResultReport.Format: ExpressibleByArgument {}
