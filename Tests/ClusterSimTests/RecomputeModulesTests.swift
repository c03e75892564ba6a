import Foundation
import Testing

@testable import ClusterSim

/// Megatron-Core's op-level recomputation (`recompute_modules`) and block method
/// (`recompute_num_layers`), checked against per-token counts made by hand on small shapes.
///
/// Dense model D: hidden h = 256, SwiGLU FFN 1,024, 4 heads of 64 (q = kv = 256), no dropout,
/// 128 tokens per microbatch, t = 1. Stored per token with nothing recomputed (flash kernel): norm
/// inputs 4h = 1,024 and outputs 2 × 2h = 1,024; Q 512, K and V 1,024, the output projection's
/// input 512; SwiGLU gate, up and product 3 × 2 × 1,024 = 6,144: 10,240 bytes, 1,310,720 per
/// layer.
@Suite struct RecomputeModulesTests {
  static let dense = TransformerModel(
    layers: 2, hidden: 256, ffn: 1_024, heads: 4, vocab: 1_000, gatedFFN: true)

  /// MoE model M: D's attention, one dense layer then one MoE layer of 8 routed experts (2 per
  /// token) and 1 shared expert, each a SwiGLU of 128.
  static let moe = TransformerModel(
    kind: .moe, layers: 2, hidden: 256, ffn: 1_024, heads: 4, vocab: 1_000, gatedFFN: true,
    routedExperts: 8, sharedExperts: 1, expertsPerToken: 2, expertFFN: 128, denseLayers: 1)

  /// D with multi-head latent attention (key-value latent of 64).
  static let latent = TransformerModel(
    layers: 2, hidden: 256, ffn: 1_024, heads: 4, vocab: 1_000, gatedFFN: true,
    latentAttention: .init(kvRank: 64, ropeDim: 16))

  func bytes(
    _ model: TransformerModel, moeLayer: Bool = false, _ recompute: Recompute,
    tensorParallel: Int = 1, sequenceParallel: Bool = false,
    kernel: AttentionKernel = .flash
  ) -> Double {
    ActivationMemory.bytesPerLayer(
      model: model, moeLayer: moeLayer, seqLen: 128, microbatch: 1,
      tensorParallel: tensorParallel, sequenceParallel: sequenceParallel, recompute: recompute,
      attentionKernel: kernel, dropout: false)
  }

  /// Each module of a dense layer drops its own terms and nothing else.
  @Test func denseLayerModules() {
    let d = Self.dense
    #expect(bytes(d, .none) == 128 * 10_240)
    // layernorm: the two norm outputs, 2 × 2h = 1,024 per token.
    #expect(bytes(d, .modules([.layerNorm])) == 128 * 9_216)
    // mlp: SwiGLU's 6,144; its input (a norm output) stays.
    #expect(bytes(d, .modules([.mlp])) == 128 * 4_096)
    #expect(bytes(d, .modules([.layerNorm, .mlp])) == 128 * 3_072)
    // core_attn: the flash kernel stores no core, so nothing; unfused without dropout the core
    // is 2·a·s = 2 × 4 × 128 = 1,024 per token, which it drops.
    #expect(bytes(d, .modules([.coreAttention])) == 128 * 10_240)
    #expect(bytes(d, .none, kernel: .unfused) == 128 * 11_264)
    #expect(bytes(d, .modules([.coreAttention]), kernel: .unfused) == 128 * 10_240)
    // Modules of MoE layers change nothing in a dense layer, nor mla_up_proj without MLA.
    let elsewhere: Set<RecomputeModule> = [
      .moe, .moeActivation, .sharedExperts, .latentUpProjection,
    ]
    #expect(bytes(d, .modules(elsewhere)) == 128 * 10_240)
    // t = 2 with sequence parallelism: every term halves, 5,120; layernorm drops 512.
    #expect(bytes(d, .none, tensorParallel: 2, sequenceParallel: true) == 128 * 5_120)
    #expect(
      bytes(d, .modules([.layerNorm]), tensorParallel: 2, sequenceParallel: true) == 128 * 4_608)
  }

  /// M's MoE layer: 2,048 for norms, 2,048 for Q, K, V and the output projection's input, and
  /// experts (2 routed + 1 shared) × 6 × 128 = 2,304 plus the routed copies 2 × 2h = 1,024:
  /// 7,424 per token.
  @Test func moeLayerModules() {
    let m = Self.moe
    #expect(bytes(m, moeLayer: true, .none) == 128 * 7_424)
    // moe_act: the routed experts' SwiGLU product, 2 × 128 × 2 bytes = 512.
    #expect(bytes(m, moeLayer: true, .modules([.moeActivation])) == 128 * 6_912)
    // shared_experts: the shared expert's 6 × 128 = 768.
    #expect(bytes(m, moeLayer: true, .modules([.sharedExperts])) == 128 * 6_656)
    // moe: all 3,328 of the experts' terms, whatever else is named with it.
    #expect(bytes(m, moeLayer: true, .modules([.moe])) == 128 * 4_096)
    #expect(
      bytes(m, moeLayer: true, .modules([.moe, .moeActivation, .sharedExperts])) == 128 * 4_096)
    // mlp applies to dense FFNs only (Megatron-Core skips it for an MoELayer).
    #expect(bytes(m, moeLayer: true, .modules([.mlp])) == 128 * 7_424)
  }

  /// mla_up_proj drops Q, K and V, 2q + 4kv = 512 + 1,024 per token, with latent attention.
  @Test func latentUpProjection() {
    #expect(bytes(Self.latent, .modules([.latentUpProjection])) == 128 * 8_704)
  }

  /// Table 2's selective row is `core_attn` (Korthikanti et al. §5), on GPT-3's layer.
  @Test func coreAttentionIsTable2Selective() {
    for recompute in [Recompute.selective, .modules([.coreAttention])] {
      let bytes = ActivationMemory.bytesPerLayer(
        seqLen: 2048, microbatch: 1, hidden: 12_288, heads: 96, tensorParallel: 8,
        recompute: recompute)
      #expect(bytes == 2048 * 12_288 * 13)
    }
  }

  // MARK: Compute

  static func ideal() throws -> Chip {
    var chip = try StepTimeModelTests.ideal()
    chip.efficiency.expertGEMM = 1
    chip.efficiency.expertGEMMHalfFLOPs = 0
    chip.efficiency.moeLayerOverheadUS = 0
    return chip
  }

  /// One microbatch of 128 tokens through both layers on one GPU.
  func microbatch(
    _ model: TransformerModel, _ recompute: Recompute, chip: Chip? = nil
  ) throws -> MicrobatchSeconds {
    let job = TrainingJob(
      model: model, seqLen: 128, globalBatch: 1, steps: 1,
      layout: ParallelLayout(data: 1, microbatch: 1, zero: 0, recompute: recompute),
      precision: .bf16, attentionKernel: .unfused)
    return StepTimeModel(job: job, chip: try chip ?? Self.ideal()).microbatchSeconds(
      microbatch: 1, layers: 2, moeLayers: model.moeLayers, withLogits: false)
  }

  /// On an ideal chip (312 TFLOP/s bf16 at full efficiency, free memory traffic) the backward
  /// grows by each module's forward FLOPs over the peak, over 2 layers × 128 tokens.
  @Test func extraForwardFLOPs() throws {
    func extra(_ model: TransformerModel, _ modules: Set<RecomputeModule>) throws -> Double {
      let base = try microbatch(model, .none).backwardCompute
      return (try microbatch(model, .modules(modules)).backwardCompute - base) * 312e12
    }
    func close(_ a: Double, _ b: Double) -> Bool { abs(a / b - 1) < 1e-9 }
    // mlp: 2 × 3 × 256 × 1,024 = 1,572,864 per token and layer.
    #expect(close(try extra(Self.dense, [.mlp]), 2 * 128 * 1_572_864))
    // core_attn (unfused, full matrix): 4 × s × q = 4 × 128 × 256 = 131,072.
    #expect(close(try extra(Self.dense, [.coreAttention]), 2 * 128 * 131_072))
    // moe, on M's one MoE layer: routed 2 × 6 × 256 × 128 = 393,216, shared 196,608, router
    // 2 × 256 × 8 = 4,096.
    #expect(close(try extra(Self.moe, [.moe]), 128 * 593_920))
    #expect(close(try extra(Self.moe, [.sharedExperts]), 128 * 196_608))
    // mla_up_proj: Q, K and V from the 64-wide latent, 2 × 768 × 64 = 98,304.
    #expect(close(try extra(Self.latent, [.latentUpProjection]), 2 * 128 * 98_304))
  }

  /// layernorm and moe_act recompute no FLOPs: their cost is the element-wise traffic of what
  /// they drop, written and read once, 2 × bytes over HBM (1 TB/s here): layernorm 2 layers ×
  /// 128 × 1,024 bytes, moe_act 128 × 512 on the one MoE layer.
  @Test func elementwiseModulesCostTheirTraffic() throws {
    var chip = try Self.ideal()
    chip.hbmTBPerS = 1
    chip.efficiency.hbm = 1
    func extra(_ model: TransformerModel, _ modules: Set<RecomputeModule>) throws -> Double {
      try microbatch(model, .modules(modules), chip: chip).backwardCompute
        - microbatch(model, .none, chip: chip).backwardCompute
    }
    #expect(abs(try extra(Self.dense, [.layerNorm]) / (2 * 2 * 128 * 1_024 / 1e12) - 1) < 1e-9)
    #expect(abs(try extra(Self.moe, [.moeActivation]) / (2 * 128 * 512 / 1e12) - 1) < 1e-9)
  }

  /// full_layers 1 of D's 2 layers recomputes one layer's forward: 2 × (4h² + 3 × h × 1,024) +
  /// 4 × 128 × 256 = 2,228,224 FLOPs per token; it stores 2h per token for that layer, all of
  /// the other, plus one layer's full activations while recomputing and the fp32 logits
  /// 4 × 128 × 1,000. With as many layers as a chunk holds it is `full` exactly.
  @Test func fullLayersPerChunk() throws {
    let extra =
      (try microbatch(Self.dense, .fullLayers(1)).backwardCompute
        - microbatch(Self.dense, .none).backwardCompute) * 312e12
    #expect(abs(extra / (128 * 2_228_224) - 1) < 1e-9)
    func estimate(_ recompute: Recompute) throws -> StepEstimate {
      let job = TrainingJob(
        model: Self.dense, seqLen: 128, globalBatch: 1, steps: 1,
        layout: ParallelLayout(data: 1, microbatch: 1, zero: 0, recompute: recompute),
        precision: .bf16, attentionKernel: .flash)
      return StepTimeModel(job: job, chip: try Self.ideal()).estimate(microbatch: 1)
    }
    let stored = 128 * 10_240.0
    let expected = 128 * 512 + stored + stored + 4 * 128 * 1_000
    #expect(try estimate(.fullLayers(1)).memory.activationsBytes == expected)
    #expect(
      try estimate(.fullLayers(2)).memory.activationsBytes
        == estimate(.full).memory.activationsBytes)
    #expect(
      try estimate(.fullLayers(5)).breakdown.computeSeconds
        == estimate(.full).breakdown.computeSeconds)
  }
}

/// `recompute:` in a config: the named policies, the mapping forms, and each bad value with its
/// message.
@Suite struct RecomputeConfigTests: ConfigCases {
  static let valid = TrainingConfigTests.valid.replacingOccurrences(
    of: "      zero: 1", with: "      zero: 1\n      recompute: selective")

  func layout(_ yaml: String) throws -> Recompute? {
    let program = try ConfigLoader.parse(yaml: yaml, file: "configs/x.yaml")
    guard case .training(let spec) = program.phases[0].work else { return nil }
    return spec.layout.recompute
  }

  @Test func forms() throws {
    #expect(try layout(Self.valid) == .selective)
    let modules = edited("recompute: selective", "recompute: {modules: [mlp, layernorm, mlp]}")
    #expect(try layout(modules) == .modules([.mlp, .layerNorm]))
    let block = edited("recompute: selective", "recompute:\n        full_layers: 4")
    #expect(try layout(block) == .fullLayers(4))
    #expect(try layout(edited("recompute: selective", "recompute: auto")) == nil)
  }

  static let cases: [(new: String, expected: String)] = [
    (
      "recompute: selectiv",
      "configs/x.yaml:20:18: phases[0].parallelism.recompute: unknown recompute \"selectiv\"; did you mean \"selective\"? (one of: none, selective, full, auto)"
    ),
    (
      "recompute: {modules: [mlp, mpl]}",
      "configs/x.yaml:20:34: phases[0].parallelism.recompute.modules[1]: unknown recompute module \"mpl\"; did you mean \"mlp\"? (one of: core_attn, layernorm, mla_up_proj, mlp, moe, moe_act, shared_experts)"
    ),
    (
      "recompute: {modules: []}",
      "configs/x.yaml:20:18: phases[0].parallelism.recompute: give at least one module to recompute, or write recompute: none"
    ),
    (
      "recompute: {modules: mlp}",
      "configs/x.yaml:20:28: phases[0].parallelism.recompute.modules: expected a list, got \"mlp\""
    ),
    (
      "recompute: {full_layers: 0}",
      "configs/x.yaml:20:32: phases[0].parallelism.recompute.full_layers: must be positive, got 0"
    ),
    (
      "recompute: {modules: [mlp], full_layers: 2}",
      "configs/x.yaml:20:18: phases[0].parallelism.recompute: give one of modules or full_layers (Megatron-Core's selective and block recomputation do not combine)"
    ),
    (
      "recompute: {layers: 2}",
      "configs/x.yaml:20:19: phases[0].parallelism.recompute.layers: unknown key \"layers\"; valid keys are: full_layers, modules"
    ),
  ]

  @Test(arguments: cases)
  func badRecompute(new: String, expected: String) {
    #expect(messages(edited("recompute: selective", new)).joined(separator: "\n") == expected)
  }
}
