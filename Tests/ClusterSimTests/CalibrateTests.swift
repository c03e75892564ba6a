import Foundation
import Testing

@testable import ClusterSim

/// `clustersim calibrate`: the fit recovers constants it is given, held-out errors never reuse
/// what the held-out case taught, and measurement files and includes are read as documented.
@Suite struct CalibrateTests {
  /// A dense 8B-shaped phase on one H100 node, its layout fixed; `tp` and `gbs` vary it.
  static func config(phases: [(name: String, tp: Int, gbs: Int)], measured: String) -> String {
    var text = """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 1, price_per_gpu_hour: 2}
      phases:

      """
    for phase in phases {
      text += """
          - name: \(phase.name)
            pool: h100
            gpus: 8
            precision: bf16
            model: {layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256}
            seq_len: 8192
            global_batch: \(phase.gbs)
            steps: 1
            parallelism: {tp: \(phase.tp), pp: 1, microbatch: 1, recompute: none}

        """
    }
    return text + "measured:\n" + measured
  }

  static func cases(_ yaml: String) throws -> [CalibrationCase] {
    let program = try ConfigLoader.parsePlan(yaml: yaml, file: "m.yaml", planning: false).program
    return try program.measurements.map { try CalibrationCase(figure: $0, program: program) }
  }

  /// Measurements made by the model itself at gemm 0.5 (written as the step seconds it predicts)
  /// are fitted back to 0.5 from the catalog's 0.62, and every error then vanishes.
  @Test func fitRecoversTheConstantThatMadeTheMeasurements() throws {
    let phases = [("a", 1, 8), ("b", 2, 16), ("c", 4, 32)]
    let draft = try Self.cases(
      Self.config(
        phases: phases,
        measured: phases.map { "  - {phase: \($0.0), step_seconds: 1, family: f, source: s}\n" }
          .joined()))
    var truth = draft[0].chip.efficiency
    truth.gemm[.bf16] = 0.5
    let measured = draft.map { $0.predictedStepSeconds(truth) }
    let yaml = Self.config(
      phases: phases,
      measured: zip(phases, measured).map {
        "  - {phase: \($0.0.0), step_seconds: \($0.1), family: f, source: s}\n"
      }.joined())
    let calibration = try Calibration(cases: try Self.cases(yaml))
    let fitted = try #require(calibration.after["H100-SXM5-80GB"]?.gemm[.bf16])
    #expect(abs(fitted - 0.5) < 1e-4)
    #expect(calibration.afterErrors.allSatisfy { abs($0) < 1e-6 })
    // Before the fit the catalog's 0.62 makes compute-bound steps faster than measured.
    #expect(calibration.beforeErrors.allSatisfy { $0 < 0 })
  }

  /// A chip measured once: left out, the case is predicted with what other chips teach (here the
  /// A100 cases' fitted fp16 gemm, borrowed for H100's bf16 as the same width), never with the
  /// constant it was fitted to, so its held-out error equals its chip-out error and is not zero.
  @Test func aLoneCaseLeftOutIsNotPredictedFromItself() throws {
    let folder = ReferenceConfigTests.repository.appendingPathComponent("configs/calibration")
    let cases = try MeasurementFiles.cases([
      folder.appendingPathComponent("megatron-a100.yaml").path,
      folder.appendingPathComponent("llama3-405b.yaml").path,
    ]).cases
    let calibration = try Calibration(cases: cases)
    let llama = try #require(cases.firstIndex { $0.figure.id == "llama3-405b-8k" })
    #expect(abs(calibration.afterErrors[llama]) < 1e-6)
    #expect(calibration.leaveOneOutErrors[llama] == calibration.leaveChipOutErrors[llama])
    let a100 = try #require(calibration.after["A100-SXM4-80GB"]?.gemm[.fp16])
    let borrowed = Calibration.borrowed(
      [.gemm(.bf16)], for: "H100-SXM5-80GB", chips: calibration.chips, fitted: calibration.after,
      loaded: cases[llama].chip.efficiency)
    #expect(borrowed.gemm[.bf16] == a100)
    #expect(abs(calibration.leaveOneOutErrors[llama]) > 0.01)
  }

  /// Tokens per second per GPU become step seconds: 16 sequences of 8,192 tokens on 8 GPUs at
  /// 2,048 tokens/s/GPU take 16 · 8192 / (2048 · 8) = 8 s.
  @Test func tokensPerSecondBecomeStepSeconds() throws {
    let cases = try Self.cases(
      Self.config(
        phases: [("a", 2, 16)],
        measured: "  - {phase: a, tokens_per_s_per_gpu: 2048, family: f, source: s}\n"))
    #expect(cases[0].measuredStepSeconds == 8)
  }

  @Test func measuredEntriesAreChecked() {
    func message(_ measured: String) -> String {
      do {
        _ = try ConfigLoader.parse(
          yaml: Self.config(phases: [("a", 2, 16)], measured: measured), file: "m.yaml")
        return ""
      } catch {
        return error.description
      }
    }
    #expect(
      message("  - {phase: b, step_seconds: 1, family: f, source: s}\n").contains(
        "m.yaml:15:13: measured[0].phase: no phase is named \"b\""))
    #expect(
      message("  - {phase: a, step_seconds: 1, tokens_per_s_per_gpu: 2, family: f, source: s}\n")
        .contains("give the measurement as exactly one of tokens_per_s_per_gpu or step_seconds"))
    #expect(
      message("  - {phase: a, step_seconds: -1, family: f, source: s}\n").contains(
        "measured[0].step_seconds"))
  }

  /// `include:` applies a chips file relative to the including config; a missing file and a cycle
  /// are refused at the include entry.
  @Test func includesAreRelativeAndRefusedWhenMissingOrCyclic() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("clustersim-include-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("fits"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "chips:\n  H100-SXM5-80GB:\n    efficiency:\n      gemm: {bf16: 0.5}\n".write(
      to: folder.appendingPathComponent("fits/h100.yaml"), atomically: true, encoding: .utf8)
    let base = Self.config(
      phases: [("a", 2, 16)], measured: "  - {phase: a, step_seconds: 1, family: f, source: s}\n")
    let config = folder.appendingPathComponent("run.yaml")
    try ("include: fits/h100.yaml\n" + base).write(to: config, atomically: true, encoding: .utf8)
    let program = try ConfigLoader.load(path: config.path)
    #expect(program.catalog["H100-SXM5-80GB"]?.efficiency.gemm[.bf16] == 0.5)

    try ("include: [fits/none.yaml]\n" + base).write(to: config, atomically: true, encoding: .utf8)
    #expect(throws: ConfigError.self) { try ConfigLoader.load(path: config.path) }
    do {
      _ = try ConfigLoader.load(path: config.path)
    } catch {
      #expect(
        error.description.contains("run.yaml:1:11: include[0]: cannot include \"fits/none.yaml\""))
    }

    try "include: ../run.yaml\nchips: {}\n".write(
      to: folder.appendingPathComponent("fits/h100.yaml"), atomically: true, encoding: .utf8)
    try ("include: fits/h100.yaml\n" + base).write(to: config, atomically: true, encoding: .utf8)
    do {
      _ = try ConfigLoader.load(path: config.path)
      Issue.record("a cycle loaded")
    } catch {
      #expect(error.description.contains("include cycle: run.yaml -> h100.yaml -> run.yaml"))
    }
  }
}

/// The built-in calibrated region is the one the shipped measurements span: adding a measurement
/// file that widens it without updating `CalibratedRegion.builtIn` fails here.
@Suite struct ShippedRegionTests {
  @Test func builtInRegionIsTheShippedCasesRegion() throws {
    let folder = ReferenceConfigTests.repository.appendingPathComponent("configs/calibration")
    let cases = try MeasurementFiles.cases([folder.path]).cases
    #expect(cases.count == 131)
    #expect(CalibratedRegion(jobs: cases.map { ($0.job, $0.chip.name) }) == .builtIn)
  }
}

/// `check --update` writes an exact whole number as written by hand: the deepseek-v3 sweep's
/// cheapest size moved 2,048 -> 1,024 and was written `== 1024.0` (issue 26's run found it).
@Suite struct ExactUpdateTests {
  @Test func wholeNumbersAreWrittenWithoutAFraction() {
    #expect(ExpectationUpdate.written(1024, for: .exact(2048)) == "1024")
    #expect(ExpectationUpdate.written(0.5, for: .exact(1)) == "0.5")
    #expect(ExpectationUpdate.written(-3, for: .exact(1)) == "-3")
  }
}
