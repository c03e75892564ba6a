import Testing

@testable import ClusterSim

/// Precision recipes: the peak they run on, the bytes they store, and where the models ask for
/// "8 bits or fewer".
@Suite struct PrecisionRecipeTests {
  /// Bytes per value, scales included: MXFP8 1 + 1/32 (one E8M0 byte per 32, OCP MX v1.0), NVFP4
  /// 0.5 + 1/16 (one E4M3 byte per 16), block-wise FP8 1 + 4/128 (one FP32 per 128, DeepSeek-V3
  /// §3.3); per-tensor FP8 1.
  @Test func bytesPerValueCountTheScales() {
    #expect(Precision.fp8.bytesPerValue == 1)
    #expect(Precision.mxfp8.bytesPerValue == 1.03125)
    #expect(Precision.fp8Blockwise.bytesPerValue == 1.03125)
    #expect(Precision.nvfp4.bytesPerValue == 0.5625)
    #expect(Precision.fp4.bytesPerValue == 0.5)
    #expect(Precision.bf16.bytesPerValue == 2 && Precision.fp64Tensor.bytesPerValue == 8)
  }

  @Test func recipesRunOnTheirFormatsPeak() throws {
    #expect(Precision.mxfp8.peakFormat == .fp8 && Precision.fp8Blockwise.peakFormat == .fp8)
    #expect(Precision.nvfp4.peakFormat == .fp4 && Precision.bf16.peakFormat == .bf16)
    #expect(Precision.peakFormats == [.fp64, .fp64Tensor, .tf32, .bf16, .fp16, .fp8, .fp4])
    let b200 = try #require(ChipCatalog.builtIn["B200-SXM-180GB"])
    #expect(b200.peakFLOPS(.mxfp8) == 4500e12 && b200.peakFLOPS(.fp8Blockwise) == 4500e12)
    #expect(b200.peakFLOPS(.nvfp4) == 9000e12)
    let h100 = try #require(ChipCatalog.builtIn["H100-SXM5-80GB"])
    #expect(h100.peakFLOPS(.nvfp4) == nil)  // no fp4 peak
    #expect(h100.peakFLOPS(.fp8Blockwise) == 1979e12)
  }

  @Test func eightBitsOrFewer() {
    let narrow = Precision.allCases.filter(\.isEightBitOrNarrower)
    #expect(narrow == [.fp8, .fp4, .fp8Blockwise, .mxfp8, .nvfp4])
  }

  /// A recipe without its own `gemm` takes its format's; with one, its own.
  @Test func gemmIsPerRecipe() {
    var efficiency = Efficiency.seed
    #expect(efficiency.gemm(for: .mxfp8) == 0.45 && efficiency.gemm(for: .nvfp4) == 0.45)
    efficiency.gemm[.mxfp8] = 0.5
    #expect(efficiency.gemm(for: .mxfp8) == 0.5 && efficiency.gemm(for: .fp8) == 0.45)
  }

  /// One 8192³ multiply's memory term is bytes · (mk + kn + mn) / (HBM · 0.8): on B200 (8 TB/s),
  /// 3 · 8192² values at 1.03125 bytes for MXFP8 and 1 for FP8: the difference is exactly the
  /// scales, 3 · 8192² / 32 bytes over 6.4e12 B/s.
  @Test func aRecipesScalesCountInTheMultiplysTraffic() throws {
    let b200 = try #require(ChipCatalog.builtIn["B200-SXM-180GB"])
    func model(_ precision: Precision) -> StepTimeModel {
      let job = TrainingJob(
        model: TransformerModel(layers: 2, hidden: 1024, heads: 8, vocab: 1000), seqLen: 1024,
        globalBatch: 8, steps: 1, layout: ParallelLayout(data: 1), precision: precision)
      return StepTimeModel(job: job, chip: b200)
    }
    // Memory-bound: a skinny multiply (m = 1) moves k·n values and does almost no math.
    let fp8 = model(.fp8).gemmSeconds(m: 1, n: 8192, k: 8192)
    let mx = model(.mxfp8).gemmSeconds(m: 1, n: 8192, k: 8192)
    let values = 1.0 * 8192 + 8192.0 * 8192 + 8192
    #expect(abs((mx - fp8) - values / 32 / 6.4e12) < 1e-15)
  }

  /// A recipe is refused as a peak, at its key, in one line, with the format to give.
  @Test func aRecipeIsNotAPeak() {
    let yaml = """
      chips:
        X1:
          tflops: {bf16: 100, mxfp8: 200}
          hbm_gb: 48
          hbm_tb_per_s: 1
          nvlink_gb_per_s: 100
          nic_gbps: 100
          tdp_w: 300
      cluster:
        pools:
          - {name: x, chip: X1, nodes: 1, price_per_gpu_hour: 1}
      phases:
        - {name: p, pool: x, gpus: 8, hours: 1}
      """
    // The first issue; the pool's then-unknown chip X1 is the second.
    let message = Self.error(yaml).split(separator: "\n").first.map(String.init) ?? ""
    #expect(
      message
        == "c.yaml:3:25: chips.X1.tflops.mxfp8: mxfp8 is a training recipe, not a peak: it runs "
        + "on the fp8 peak, so give that (tflops: {fp8: ...}); peaks are fp64, fp64_tensor, tf32, "
        + "bf16, fp16, fp8, fp4")
  }

  /// A phase may ask for a recipe; a chip without its format's peak is refused naming both.
  @Test func aRecipeWithoutItsPeakIsRefused() {
    let yaml = """
      cluster:
        pools:
          - {name: x, chip: H100-SXM5-80GB, nodes: 1, price_per_gpu_hour: 1}
      phases:
        - {name: p, pool: x, gpus: 8, precision: nvfp4, tokens: 1e9, model: {active_params: 1e9},
           mfu: 0.4}
      """
    let message = Self.error(yaml)
    #expect(message.contains("has no fp4 peak (nvfp4 runs on it) (it has: fp64, fp64_tensor"))
    #expect(!message.contains("\n"))
  }

  static func error(_ yaml: String) -> String {
    do {
      _ = try ConfigLoader.parsePlan(yaml: yaml, file: "c.yaml")
      return "no error"
    } catch {
      return error.issues.map(\.description).joined(separator: "\n")
    }
  }
}
