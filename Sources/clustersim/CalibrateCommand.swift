import ArgumentParser
import ClusterSim
import Foundation

extension Calibration.Start: ExpressibleByArgument {}

/// `clustersim calibrate`: fits the step-time constants to measured phases and shows every case's
/// error before, after and held out (docs/validation.md, "Calibration").
struct CalibrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "calibrate",
    abstract: "Fit the step-time constants of each chip to measured phases, with held-out errors.")

  @Argument(
    help: "Measurement files (configs with a measured: list), or folders of them.")
  var measurements: [String]

  @Option(
    help: ArgumentHelp(
      "Constants to fit, comma-separated (default gemm,expert_gemm,moe_layer_overhead_us): gemm (each precision "
        + "measured), gemm.PRECISION, or any key of chips.NAME.efficiency that calibrate lists "
        + "in an unknown-key error; KEY@CHIP fits it for one chip only.",
      valueName: "keys"))
  var fit: String?

  @Option(help: "Write the fitted constants as a chips: file a config can include:.")
  var output: String?

  @Option(
    help: ArgumentHelp(
      "Where the fitted constants start: loaded (as the files load them, default) or seed (the "
        + "pre-calibration values; the catalog is this fit of configs/calibration/).",
      valueName: "start"))
  var start: Calibration.Start = .loaded

  func run() throws {
    let keys = fit.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    // A path that cannot be written fails before any work, not after.
    if let output { try AtomicFile.check(output) }
    let (cases, excluded) = try MeasurementFiles.cases(measurements)
    let calibration: Calibration
    do {
      calibration = try Calibration(
        cases: cases, fit: keys ?? Calibration.defaultKeys, start: start)
    } catch {
      if case .unknownKey = error { throw FlagError(flag: "--fit", error.description) }
      throw FlagError(flag: "calibrate", error.description)
    }
    let report = CalibrationReport(calibration, excluded: excluded)
    if let output {
      let command =
        (["clustersim calibrate"] + measurements + (fit.map { ["--fit", $0] } ?? [])
        + (start == .loaded ? [] : ["--start", start.rawValue])).joined(separator: " ")
      try AtomicFile.write(report.overrides(command: command), to: output)
    }
    print(report.text(), terminator: "")
  }
}
