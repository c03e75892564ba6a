import Testing

@testable import ClusterSim

@Suite struct TransformerModelTests {
  /// The GPT shapes of Megatron-LM's weak-scaling table (Narayanan et al., SC '21, Table 1), vocab
  /// 51,200, sequence 2,048.
  static let megatron: [(layers: Int, hidden: Int, heads: Int)] = [
    (24, 2304, 24), (30, 3072, 32), (36, 4096, 32), (40, 6144, 48), (48, 8192, 64),
    (60, 10240, 80), (80, 12288, 96), (96, 16384, 128), (105, 20480, 128), (128, 25600, 160),
  ]

  /// Megatron's eq. 3 per token: 96·l·h²·(1 + s/6h + V/16lh) with full recomputation,
  /// 72·l·h²·(1 + s/6h + V/12lh) without.
  @Test(arguments: megatron)
  func gptLayerMatchesMegatronEquation3(shape: (layers: Int, hidden: Int, heads: Int)) {
    let model = TransformerModel(
      layers: shape.layers, hidden: shape.hidden, heads: shape.heads, vocab: 51_200)
    let l = Double(shape.layers)
    let h = Double(shape.hidden)
    let s = 2048.0
    let v = 51_200.0
    let lh2: Double = l * h * h
    let sequenceTerm: Double = s / (6 * h)
    let withRecompute: Double = 96 * lh2 * (1 + sequenceTerm + v / (16 * l * h))
    let without: Double = 72 * lh2 * (1 + sequenceTerm + v / (12 * l * h))
    let counted = model.trainingFLOPsPerToken(seqLen: 2048, fullRecompute: true)
    #expect(abs(counted - withRecompute) / withRecompute < 1e-12)
    let countedWithout = model.trainingFLOPsPerToken(seqLen: 2048)
    #expect(abs(countedWithout - without) / without < 1e-12)
  }

  /// A GPT layer has 12h² parameters (4h² attention, 8h² FFN): Megatron-LM's 1.7B row is
  /// 24 × 12 × 2304² + 2 × 51,200 × 2304 = 1.529e9 + 0.236e9 = 1.765e9 parameters (the paper
  /// rounds its count, which ties the embeddings, to 1.7B).
  @Test func gptParameterCount() {
    let model = TransformerModel(layers: 24, hidden: 2304, heads: 24, vocab: 51_200)
    let layers: Double = 24 * 12 * 2304.0 * 2304
    #expect(model.totalParams == layers + 2 * 51_200 * 2304.0)
  }

  /// Llama 3 405B (arXiv 2407.21783, Table 3): 126 layers, h 16,384, SwiGLU FFN 53,248, 128 heads
  /// with 8 KV heads, vocab 128,256: 405.8e9 parameters by hand (3.1877e9 per layer × 126 +
  /// 2 × 2.1013e9 embeddings), the published "405B".
  @Test func llama3ParameterCount() {
    let model = TransformerModel(
      layers: 126, hidden: 16_384, ffn: 53_248, heads: 128, kvHeads: 8, vocab: 128_256,
      gatedFFN: true)
    let attention: Double = 2 * 16_384.0 * 16_384 + 2 * 16_384.0 * 1_024
    let perLayer: Double = attention + 3 * 16_384.0 * 53_248
    #expect(model.totalParams == 126 * perLayer + 2 * 128_256 * 16_384.0)
    #expect(abs(model.totalParams - 405e9) / 405e9 < 0.005)
  }

  /// A DeepSeek-V3-shaped MoE (arXiv 2412.19437 §4.2): 58 MoE layers of 256 routed + 1 shared
  /// experts of hidden size 2,048, 8 routed per token, h 7,168; 3 dense layers of FFN 18,432.
  /// Attention is counted here as multi-head (4h² per layer); V3's MLA differs, which is why the
  /// step-time model will accept a `flops_per_token` override. Totals by hand, term by term.
  @Test func moeCountsOnlyRoutedExpertsAsActive() {
    let model = TransformerModel(
      kind: .moe, layers: 61, hidden: 7_168, ffn: 18_432, heads: 128, vocab: 129_280,
      gatedFFN: true, routedExperts: 256, sharedExperts: 1, expertsPerToken: 8, expertFFN: 2_048,
      denseLayers: 3)
    let expert = 3 * 7_168.0 * 2_048
    let attention: Double = 61 * (4 * 7_168.0 * 7_168)
    let dense: Double = 3 * 3 * 7_168.0 * 18_432
    let router: Double = 58 * 7_168.0 * 256
    let embeddings: Double = 129_280 * 7_168.0
    let shared: Double = attention + dense + router
    let allExperts: Double = 58 * 257 * expert
    let activeExperts: Double = 58 * 9 * expert
    #expect(model.totalParams == shared + allExperts + 2 * embeddings)
    #expect(model.activeParams == shared + activeExperts + embeddings)
    // Training FLOPs per token without attention scores are 6 × active (less the embedding).
    let flops = model.trainingFLOPsPerToken(seqLen: 0)
    #expect(abs(flops - 6 * (model.activeParams)) / flops < 1e-12)
  }

  /// A causal kernel computes half of the s×s attention matrix.
  @Test func causalAttentionHalvesTheCoreTerm() {
    let model = TransformerModel(layers: 2, hidden: 1024, heads: 16, vocab: 1000)
    let full = model.layerForwardFLOPsPerToken(seqLen: 4096)
    let causal = model.layerForwardFLOPsPerToken(seqLen: 4096, causal: true)
    let halfCore: Double = 2 * 2 * 4096 * 1024.0
    #expect(full - causal == halfCore)
  }
}
