import Foundation
import Testing

/// `clustersim calibrate` from the command line: the shipped measurements fit, a chips file is
/// written that a config includes, and bad input exits 2 with one line.
@Suite struct CalibrateCLITests {
  @Test func fitsTheOldCasesAndWritesAnIncludableChipsFile() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("clustersim-calibrate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let fits = folder.appendingPathComponent("fits.yaml")
    let run = try CLITests.run([
      "calibrate", "configs/calibration/megatron-a100.yaml", "configs/calibration/llama3-405b.yaml",
      "--output", fits.path,
    ])
    #expect(run.status == 0)
    #expect(run.stdout.contains("Errors over 11 cases"))
    // Megatron's ten A100 runs fit gemm.fp16 = 0.6871 (docs/validation.md); the file says so.
    let written = try String(contentsOf: fits, encoding: .utf8)
    #expect(written.contains("  A100-SXM4-80GB:\n    efficiency:\n      gemm: {fp16: 0.6871}\n"))
    let config = folder.appendingPathComponent("run.yaml")
    let example = try String(
      contentsOf: CLITests.repository.appendingPathComponent("configs/example.yaml"),
      encoding: .utf8)
    try ("include: fits.yaml\n" + example).write(to: config, atomically: true, encoding: .utf8)
    let catalog = try CLITests.run(["catalog", "--config", config.path, "--format", "json"])
    #expect(catalog.status == 0)
    #expect(catalog.stdout.contains("0.6871"))
  }

  @Test func badInputExitsTwoWithOneLine() throws {
    let key = try CLITests.run(["calibrate", "configs/calibration", "--fit", "gemm,bogus"])
    #expect(key.status == 2)
    #expect(key.stderr.hasPrefix("clustersim: --fit: unknown constant \"bogus\""))
    #expect(key.stderr.split(separator: "\n").count == 1)
    let none = try CLITests.run(["calibrate", "configs/example.yaml"])
    #expect(none.status == 2)
    #expect(none.stderr.contains("configs/example.yaml:1:1: (file): has no measured: list"))
  }
}
