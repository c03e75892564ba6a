import ArgumentParser
import ClusterSim

/// `clustersim explain CONFIG`: the step-time breakdown of each phase described by its model.
struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Explain each phase's training step: seconds by cause, MFU, tokens per second, memory.")

  @Argument(help: "The YAML config (see docs/config.md).")
  var config: String

  @Option(help: "Explain only the phase of this name.")
  var phase: String?

  @Option(help: "Output format: table or json.")
  var format: ExplainReport.Format = .table

  func run() throws {
    let program = try ConfigLoader.load(path: config)
    let report = try ExplainReport(program, phase: phase)
    print(report.render(format), terminator: "")
  }
}

extension ExplainReport.Format: ExpressibleByArgument {}
