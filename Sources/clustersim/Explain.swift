import ArgumentParser
import ClusterSim

/// `clustersim explain CONFIG`: the step-time breakdown of each phase described by its model, or
/// with `--layouts N` the best N layouts the planner's search finds for one phase.
struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Explain each phase's training step: seconds by cause, MFU, tokens per second, memory.")

  @Argument(help: "The YAML config (see docs/config.md).")
  var config: String

  @Option(help: "Explain only the phase of this name.")
  var phase: String?

  @Option(
    parsing: .unconditional,
    help:
      "List the N fastest layouts that fit for --phase (every layout its model and GPUs allow, on each of its pools).")
  var layouts: Int?

  @Option(help: "Output format: table or json.")
  var format: ExplainReport.Format = .table

  func validate() throws {
    if let layouts, !(1...1000).contains(layouts) {
      throw ValidationError("--layouts must be between 1 and 1000, got \(layouts)")
    }
    if layouts != nil, phase == nil {
      throw ValidationError("--layouts needs --phase NAME (the phase whose layouts to search)")
    }
  }

  func run() throws {
    // Read once: the config may be standard input or a pipe.
    let root = try ConfigLoader.compose(path: config)
    if let phase {
      // An unknown phase is a bad argument, said as such (not a place in the config).
      let names = try ConfigLoader.parsePlan(root: root, file: config, planning: false)
        .program.phases.map(\.name)
      if !names.contains(phase) {
        throw FlagError(
          flag: "--phase",
          "no phase named \"\(phase)\"\(Suggestion.didYouMean(phase, in: names)) (phases: "
            + names.joined(separator: ", ") + ")")
      }
    }
    if let layouts, let phase {
      // The ranking is most wanted when the config's own layout cannot run: load the config
      // without planning then, and say why it does not load.
      let report: LayoutReport
      do {
        report = try LayoutReport(
          ConfigLoader.parsePlan(root: root, file: config), phase: phase, keep: layouts)
      } catch {
        let unplanned = try ConfigLoader.parsePlan(root: root, file: config, planning: false)
        report = try LayoutReport(
          unplanned, phase: phase, keep: layouts,
          configError: error.issues.map(\.description).joined(separator: "; "))
      }
      print(report.render(format), terminator: "")
      return
    }
    let plan = try ConfigLoader.parsePlan(root: root, file: config)
    let report = try ExplainReport(plan, phase: phase)
    print(report.render(format), terminator: "")
  }
}

extension ExplainReport.Format: ExpressibleByArgument {}
