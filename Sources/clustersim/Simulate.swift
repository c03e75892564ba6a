import ArgumentParser
import ClusterSim

/// `clustersim simulate CONFIG`: runs the program's replications and prints the summary.
struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate a training program and report wall-clock hours, GPU-hours and cost.")

  @Argument(help: "The YAML config (see docs/config.md).")
  var config: String

  @Option(help: "Output format: table, json or csv.")
  var format: ResultReport.Format = .table

  @Option(help: "Replications to run (default: the config's simulation.replications, or 100).")
  var replications: Int?

  @Option(help: "Seed of the random streams (default: the config's simulation.seed, or 1).")
  var seed: UInt64?

  @Option(help: "Write the report to this file (atomically) instead of standard output.")
  var output: String?

  func validate() throws {
    if let replications,
      !(1...SimulationSettings.maximumReplications).contains(replications)
    {
      throw ValidationError(
        "--replications must be between 1 and \(SimulationSettings.maximumReplications), "
          + "got \(replications)")
    }
  }

  func run() throws {
    let program = try ConfigLoader.load(path: config)
    let result = try Simulation.run(program, seed: seed, replications: replications)
    let text = ResultReport(result).render(format)
    if let output {
      try AtomicFile.write(text, to: output)
    } else {
      print(text, terminator: "")
    }
  }
}

extension ResultReport.Format: ExpressibleByArgument {}
