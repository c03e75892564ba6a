import Testing

@testable import ClusterSim

/// Attention projections sized by heads × head_dim rather than hidden × hidden (Qwen3, gpt-oss),
/// checked against counts made by hand and against a published parameter total.
@Suite struct AttentionWidthTests {
  /// Qwen3-30B-A3B (`config.json` of Qwen/Qwen3-30B-A3B): 48 layers, hidden 2,048, 32 query
  /// heads and 4 key/value heads of 128, 128 experts of width 768 (8 per token), vocab 151,936,
  /// untied embeddings (Qwen3 technical report, arXiv 2505.09388, Table 2).
  static let qwen3MoE = TransformerModel(
    kind: .moe, layers: 48, hidden: 2_048, heads: 32, kvHeads: 4, vocab: 151_936,
    gatedFFN: true, routedExperts: 128, expertsPerToken: 8, expertFFN: 768, headDim: 128)

  /// Per layer: Q 2,048 × 4,096, O 4,096 × 2,048, K and V 2,048 × 512 each = 18,874,368 (the
  /// hidden × hidden count would give 9,437,184); experts 48 × 128 × 3 × 2,048 × 768 =
  /// 28,991,029,248; routers 48 × 2,048 × 128 = 12,582,912; embeddings 2 × 151,936 × 2,048 =
  /// 622,329,856: 30,531,911,680 in all, the published 30.5B. Active with the input embedding:
  /// 3,352,821,760, the published 3.3B.
  @Test func qwen3ParametersFromHeadDim() {
    let model = Self.qwen3MoE
    #expect(model.queryWidth == 4_096)
    #expect(model.kvWidth == 512)
    #expect(model.attentionParamsPerLayer == 18_874_368)
    #expect(model.totalParams == 30_531_911_680)
    #expect(model.activeParams + 151_936 * 2_048 == 3_352_821_760)
    // Attention core at s = 4,096, full matrix: 48 × 4 × 4,096 × 4,096.
    #expect(model.attentionCoreForwardFLOPsPerToken(seqLen: 4_096) == 3_221_225_472)
  }

  /// Where heads × head_dim = hidden the count is the old one (Llama 3 405B's 128 × 128 =
  /// 16,384), and multi-head latent attention keeps hidden-wide projections whatever its
  /// head_dim (DeepSeek-V3: 128 heads of 128 against hidden 7,168).
  @Test func unchangedWhereHeadsTimesHeadDimIsHidden() {
    let llama = TransformerModel(
      layers: 126, hidden: 16_384, ffn: 53_248, heads: 128, kvHeads: 8, vocab: 128_256,
      gatedFFN: true, headDim: 128)
    #expect(llama.attentionParamsPerLayer == 2 * 16_384.0 * 16_384 + 2 * 16_384.0 * 1_024)
    let mla = TransformerModel(
      kind: .moe, layers: 61, hidden: 7_168, ffn: 18_432, heads: 128, vocab: 129_280,
      gatedFFN: true, routedExperts: 256, sharedExperts: 1, expertsPerToken: 8, expertFFN: 2_048,
      denseLayers: 3, latentAttention: .init(kvRank: 512, ropeDim: 64), headDim: 128)
    #expect(mla.attentionParamsPerLayer == 4 * 7_168.0 * 7_168)
  }

  /// On an ideal chip a step's compute is the hand count over the peak. A 2-layer dense model of
  /// Qwen3-30B-A3B's attention with a SwiGLU FFN of 6,144 and vocab 1,000, s = 2,048, unfused:
  /// per layer 2 × (18,874,368 + 3 × 2,048 × 6,144) + 4 × 2,048 × 4,096 = 146,800,640 FLOPs
  /// forward per token; logits 2 × 2,048 × 1,000 = 4,096,000; training 3 × (2 × 146,800,640 +
  /// 4,096,000) = 893,091,840 per token, over 4 sequences of 2,048 tokens at 312 TFLOP/s.
  @Test func stepComputeUsesTheProjectionWidths() throws {
    let model = TransformerModel(
      layers: 2, hidden: 2_048, ffn: 6_144, heads: 32, kvHeads: 4, vocab: 1_000, gatedFFN: true,
      headDim: 128)
    #expect(model.trainingFLOPsPerToken(seqLen: 2_048) == 893_091_840)
    let job = TrainingJob(
      model: model, seqLen: 2_048, globalBatch: 4, steps: 1,
      layout: ParallelLayout(data: 1, microbatch: 4, zero: 0), precision: .bf16,
      attentionKernel: .unfused)
    let estimate = StepTimeModel(job: job, chip: try StepTimeModelTests.ideal())
      .estimate(microbatch: 4)
    let expected = 4 * 2_048 * 893_091_840 / 312e12
    #expect(abs(estimate.breakdown.computeSeconds / expected - 1) < 1e-9)
  }

  /// Stored activations per token of that layer (flash, no dropout, no recomputation, t = 1):
  /// replicated 4h + 2 × 2h = 16,384; split: Q 2 × 4,096, K and V 4 × 512, the output
  /// projection's input 2 × 4,096, SwiGLU 6 × 6,144 = 55,296; 71,680 bytes.
  @Test func activationsUseTheProjectionWidths() {
    let model = TransformerModel(
      layers: 2, hidden: 2_048, ffn: 6_144, heads: 32, kvHeads: 4, vocab: 1_000, gatedFFN: true,
      headDim: 128)
    let bytes = ActivationMemory.bytesPerLayer(
      model: model, moeLayer: false, seqLen: 1, microbatch: 1, attentionKernel: .flash,
      dropout: false)
    #expect(bytes == 71_680)
  }
}
