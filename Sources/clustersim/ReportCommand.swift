import ArgumentParser
import ClusterSim
import Foundation
import ParallelCore

/// `clustersim report CONFIG --html FILE`: simulates the config (and, with `--sweep`, sweeps it)
/// and writes one self-contained HTML page of the results (docs/output.md).
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write one self-contained HTML page of a run (and a sweep): summary, costs, spread, Gantt, failures, steps.")

  @Argument(help: "The YAML config (see docs/config.md).")
  var config: String

  @Option(help: "Write the page to this file (atomically).")
  var html: String

  // Unconditional: the value begins with "--" and is still the value.
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Also sweep the config with these sweep flags, quoted as one argument, e.g. --sweep \"--phase pre-training --gpus 512...4096x2\".",
      valueName: "flags"))
  var sweep: String?

  @OptionGroup var seedFlag: SeedFlag
  var seed: UInt64? { seedFlag.seed }

  @OptionGroup var traceFlag: TraceReplicationFlag

  @OptionGroup var ganttFlags: GanttFlags

  @OptionGroup var runOptions: RunOptions<Simulate>

  /// The sweep flags as a sweep command over the same config; flags that write files of their
  /// own are refused.
  func sweepCommand() throws -> SweepCommand? {
    guard let sweep else { return nil }
    let words = try Self.words(sweep)
    if let first = words.first, !first.hasPrefix("-") {
      throw FlagError(flag: "--sweep", "give sweep flags only, not a config (the report's config is swept): got \(first)")
    }
    for word in words {
      let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
      if ["--output", "--plot", "--shard", "--resume", "--format"].contains(name) {
        throw FlagError(flag: "--sweep", "\(name) writes a file of its own; the report holds the sweep (remove \(name))")
      }
    }
    do {
      return try SweepCommand.parse([config] + words)
    } catch {
      // --help inside --sweep is a request, not a sweep; any message is kept to its first line.
      if SweepCommand.exitCode(for: error) == .success {
        throw FlagError(flag: "--sweep", "takes sweep flags, not help; `clustersim sweep --help` lists them")
      }
      let message = SweepCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? ""
      throw FlagError(flag: "--sweep", message)
    }
  }

  /// `text` split into words at spaces, as a shell would for unquoted words and '...' or "...".
  static func words(_ text: String) throws -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var started = false
    for character in text {
      if let open = quote {
        if character == open { quote = nil } else { current.append(character) }
      } else if character == "'" || character == "\"" {
        quote = character
        started = true
      } else if character == " " || character == "\t" || character == "\n" {
        if started || !current.isEmpty { words.append(current) }
        current = ""
        started = false
      } else {
        current.append(character)
      }
    }
    if quote != nil { throw FlagError(flag: "--sweep", "a quote is not closed in \(text.replacingOccurrences(of: "\n", with: " "))") }
    if started || !current.isEmpty { words.append(current) }
    return words
  }

  /// How the command was typed, for the page.
  static func commandLine() -> String {
    (["clustersim"] + CommandLine.arguments.dropFirst()).map { word in
      word.contains(where: { " \"'$`\\".contains($0) }) || word.isEmpty
        ? "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" : word
    }.joined(separator: " ")
  }

  func run() throws {
    try AtomicFile.check(html)
    let sweeping = try sweepCommand()
    let text = try ConfigLoader.text(path: config)
    // Composed once: the run reads it, and the sweep edits its own copy point by point.
    let root = try ConfigLoader.compose(yaml: text, file: config)
    let plan = try ConfigLoader.parsePlan(root: root, file: config)
    let machine = try runOptions.machine()
    let count = runOptions.replications ?? plan.program.simulation.replications
    try runOptions.checkCost(plan, replications: count)
    try traceFlag.check(replications: count)
    let traced = try traceFlag.traced(plan, seed: seed)
    try ganttFlags.check(endHours: traced.outcome.wallClockHours)
    let gantt = try ganttFlags.options(columnsPerPixel: 4)
    let progress = ProgressLine(total: count)
    let result = try Simulation.run(
      plan, seed: seed, replications: runOptions.replications, threads: runOptions.threadCount,
      topology: machine, progress: progress.update, keepingTotals: true)
    progress.finish()
    let explain = try ExplainReport(result.plan)
    var swept: (result: SweepResult, flags: String)?
    if let sweeping, let flags = sweep {
      let (definition, _) = try sweeping.makeSweep(root: root)
      let perPoint = sweeping.runOptions.replications
      let sweepProgress = ProgressLine(total: definition.pointCount * (perPoint ?? definition.configReplications))
      let sweepResult = try definition.run(
        replications: perPoint, seed: sweeping.seed ?? seed, threads: runOptions.threadCount,
        topology: machine, progress: sweepProgress.update)
      sweepProgress.finish()
      swept = (sweepResult, flags)
    }
    let page = HTMLReport(
      result: result, traced: traced, explain: explain, configText: text, sweep: swept,
      command: Self.commandLine(), gantt: gantt
    ).rendered()
    try AtomicFile.writeAll([(page, html)])
  }
}
