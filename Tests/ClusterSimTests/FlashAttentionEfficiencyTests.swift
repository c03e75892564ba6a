import Testing

@testable import ClusterSim

/// The flash attention core at its own efficiency curve, and the ring context-parallel passes
/// hidden step by step, against values computed by hand.
@Suite struct FlashAttentionEfficiencyTests {
  /// A Llama-like layer (h 4,096, 32 heads of 128, 8 key/value heads) at s 8,192 on H100.
  func model(context: Int = 1, kernel: AttentionKernel = .flash) throws -> StepTimeModel {
    let model = TransformerModel(
      layers: 2, hidden: 4_096, ffn: 14_336, heads: 32, kvHeads: 8, vocab: 1_000, gatedFFN: true)
    let job = TrainingJob(
      model: model, seqLen: 8_192, globalBatch: 1, steps: 1,
      layout: ParallelLayout(context: context, data: 1, microbatch: 1), precision: .bf16,
      attentionKernel: kernel)
    var chip = try #require(ChipCatalog.builtIn["H100-SXM5-80GB"])
    chip.efficiency.gemm[.bf16] = 0.62
    return StepTimeModel(job: job, chip: chip)
  }

  /// Causal at 8,192: 4,096 keys per row on average, w = 4 × 4,096 × 128 = 2,097,152 FLOPs,
  /// 0.636 × 2,097,152 / (2,097,152 + 119,808) = 0.601630; at cp 4 each ring step sees 1,024
  /// keys, w = 524,288: 0.636 × 524,288 / 644,096 = 0.517698.
  @Test func efficiencyFallsWithTheKeysOneCallSees() throws {
    #expect(abs(try model().flashAttentionEfficiency - 0.636 * 2_097_152 / 2_216_960) < 1e-15)
    #expect(abs(try model().flashAttentionEfficiency - 0.601630) < 1e-6)
    #expect(abs(try model(context: 4).flashAttentionEfficiency - 0.517698) < 1e-6)
  }

  /// The forward core, 4 × T × s × q × ½ = 4 × 8,192² × 4,096 × ½ FLOPs, at 0.601630 of
  /// 989.5 TFLOP/s: 0.2310 ms; the unfused kernel keeps the multiplies' curve (0.62, 2 GFLOPs).
  @Test func coreSecondsAtTheCurve() throws {
    let flops = 4 * 8_192.0 * 8_192 * 4_096 * 0.5
    let flash = try model().layerForward(microbatch: 1, moe: false).attention
    #expect(abs(flash - flops / (989.5e12 * 0.636 * 2_097_152 / 2_216_960)) < 1e-15)
    let unfused = try model(kernel: .unfused).layerForward(microbatch: 1, moe: false).attention
    #expect(abs(unfused - (2 * flops + 2e9) / (989.5e12 * 0.62)) < 1e-15)
  }

  /// The backward core is 2.5 × the forward's FLOPs at 0.87 of its rate: 2.5/0.87 × forward.
  @Test func backwardAtItsOwnRate() throws {
    let step = try model()
    let forward = step.layerForward(microbatch: 1, moe: false)
    let one = step.microbatchSeconds(microbatch: 1, layers: 1, moeLayers: 0, withLogits: false)
    let backwardGEMMAndElementwise = 2 * forward.gemm + 2 * forward.elementwise
    #expect(
      abs(one.backwardCompute - backwardGEMMAndElementwise - 2.5 / 0.87 * forward.attention)
        < 1e-15)
  }

  /// Ring passes of 3 s in all over cp 4 behind a 2 s core: each of the 3 passes (1 s) hides
  /// behind one step's 0.5 s; 1.5 s hidden, 1.5 s exposed (behind the whole core it would all
  /// have hidden).
  @Test func ringPassesHideStepByStep() throws {
    let ring = try model(context: 4).ringExposure(3, core: 2)
    #expect(ring.hiddenSeconds == 1.5)
    #expect(ring.exposedSeconds == 1.5)
  }
}
