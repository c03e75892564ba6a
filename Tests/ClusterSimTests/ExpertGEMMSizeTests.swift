import Testing

@testable import ClusterSim

/// Expert multiplies on their own size curve, and the routed tokens' permutation as memory-bound
/// work, against values computed by hand.
@Suite struct ExpertGEMMSizeTests {
  func model(expertHalfGFLOPs: Double = 2, permutePasses: Double = 4) throws -> StepTimeModel {
    var chip = try StepTimeModelTests.a100()
    chip.efficiency.gemm[.bf16] = 0.67
    chip.efficiency.expertGEMM = 0.4
    chip.efficiency.expertGEMMHalfFLOPs = expertHalfGFLOPs * 1e9
    chip.efficiency.expertPermutePasses = permutePasses
    let job = TrainingJob(
      model: ExpertTensorParallelTests.moe, seqLen: 2_048, globalBatch: 8, steps: 1,
      layout: ParallelLayout(tensor: 2, data: 4, expert: 4, microbatch: 1, zero: 1),
      precision: .bf16)
    return StepTimeModel(job: job, chip: chip)
  }

  /// A 1,024³ expert multiply, 2,147,483,648 FLOPs, with the expert half-size at 6 GFLOPs:
  /// (2,147,483,648 + 6e9) / (312e12 × 0.67 × 0.4) s; a dense one keeps the 2 GFLOPs.
  @Test func expertMultipliesUseTheirOwnHalfSize() throws {
    let step = try model(expertHalfGFLOPs: 6)
    let expert = step.gemmSeconds(m: 1_024, n: 1_024, k: 1_024, expert: true)
    #expect(abs(expert - (2_147_483_648 + 6e9) / (312e12 * 0.67 * 0.4)) < 1e-15)
    let dense = step.gemmSeconds(m: 1_024, n: 1_024, k: 1_024)
    #expect(abs(dense - (2_147_483_648 + 2e9) / (312e12 * 0.67)) < 1e-15)
  }

  /// Each GPU permutes its tp group's 2,048 tokens (etp = tp 2): at Megatron-Core's 4 passes
  /// (permute and unpermute each read and write every row), 4 × 2,048 × k 2 × h 1,024 × 2 bytes
  /// = 33,554,432 bytes at 2.039 TB/s × 0.8, 20.571 µs per MoE layer's forward; none at the
  /// default 0 passes.
  @Test func permutationIsMemoryBound() throws {
    let step = try model()
    #expect(abs(step.permutationSeconds(tokens: 2_048) - 33_554_432 / (2.039e12 * 0.8)) < 1e-18)
    let moe = step.layerForward(microbatch: 1, moe: true).elementwise
    let stored = ActivationMemory.bytesPerLayer(
      model: ExpertTensorParallelTests.moe, moeLayer: true, seqLen: 2_048, microbatch: 1,
      tensorParallel: 2, attentionKernel: .flash, dropout: false)
    #expect(abs(moe - 2 * stored / (2.039e12 * 0.8) - 33_554_432 / (2.039e12 * 0.8)) < 1e-15)
    #expect(try model(permutePasses: 0).permutationSeconds(tokens: 2_048) == 0)
  }
}
