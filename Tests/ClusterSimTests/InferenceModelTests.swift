import Foundation
import SimKernel
import Testing

@testable import ClusterSim

/// The inference model against hand-computed rooflines, FLOP counts, cache sizes and DeepSeek's
/// published inference figures.
@Suite struct InferenceModelTests {
  static let h800 = ChipCatalog.builtIn["H800-SXM5-80GB"]!
  static let v3 = InferenceCalibration.deepSeekV3
  /// A Llama-3-8B-like dense shape: 32 layers, hidden 4,096, SwiGLU FFN 14,336, 32 heads, 8
  /// key/value heads.
  static let dense = TransformerModel(
    layers: 32, hidden: 4096, ffn: 14336, heads: 32, kvHeads: 8, vocab: 128_256, gatedFFN: true)
  /// Its parameters by hand: per layer 2h² + 2h·1024 (attention) + 3·h·14,336 (FFN); the
  /// output projection h·V (the input embedding is a look-up).
  static let denseReadParams =
    32 * (2 * 4096.0 * 4096 + 2 * 4096.0 * 1024 + 3 * 4096.0 * 14336) + 4096.0 * 128_256
  static var hbm: Double { 3.35e12 * 0.8 }

  @Test func kvBytesPerTokenOfMLAAndGQA() {
    // ISCA '25 Table 1: DeepSeek-V3 70.272 KB, Qwen-2.5 72B 327.680 KB, LLaMA-3.1 405B 516.096 KB.
    #expect(Self.v3.kvBytesPerToken() == 70_272)
    let qwen72 = TransformerModel(layers: 80, hidden: 8192, heads: 64, kvHeads: 8, vocab: 152_064)
    #expect(qwen72.kvBytesPerToken() == 327_680)
    let llama405 = TransformerModel(
      layers: 126, hidden: 16384, heads: 128, kvHeads: 8, vocab: 128_256)
    #expect(llama405.kvBytesPerToken() == 516_096)
  }

  @Test func distinctExpertsAtBatch1_32_1024() {
    func touched(_ b: Double) -> Double {
      TransformerModel.distinctExperts(experts: 256, perToken: 8, tokens: b)
    }
    #expect(abs(touched(1) - 8) < 1e-9)
    #expect(abs(touched(32) - 256 * (1 - pow(31.0 / 32, 32))) < 1e-9)
    #expect(abs(touched(32) - 163.3) < 0.1)
    #expect(touched(1024) > 255.999)
  }

  /// One GPU, batch 1, 1,000 tokens of context, bf16: the step reads every weight once (the
  /// matrices are bandwidth-bound) and the KV cache, plus the per-layer overhead.
  @Test func denseDecodeBandwidthBound() {
    let model = InferenceModel(
      model: Self.dense, layout: InferenceLayout(), chip: Self.h800, precision: .bf16)
    let step = model.decodeStep(sequences: 1, context: 1000)
    let weights = Self.denseReadParams * 2
    #expect(abs(step.weightBytes - weights) / weights < 1e-12)
    #expect(abs(step.matrixSeconds - weights / Self.hbm) < 1e-12)
    let kv = 1000.0 * 32 * 2 * 8 * 128 * 2
    #expect(abs(step.attentionSeconds - kv / Self.hbm) < 1e-12)
    let overhead = 32 * InferenceCalibration.decodeLayerOverheadUS * 1e-6
    #expect(abs(step.stepSeconds - (weights + kv) / Self.hbm - overhead) < 1e-12)
  }

  /// Batch 1,024: the matrices are compute-bound at 2 FLOPs per parameter per token over
  /// the bf16 rate (989.5 TFLOPS × 0.62).
  @Test func denseDecodeComputeBound() {
    var chip = Self.h800
    chip.efficiency.gemm[.bf16] = 0.62
    let model = InferenceModel(
      model: Self.dense, layout: InferenceLayout(), chip: chip, precision: .bf16)
    let step = model.decodeStep(sequences: 1024, context: 10)
    let compute = 1024 * 2 * Self.denseReadParams / (989.5e12 * 0.62)
    #expect(compute > Self.denseReadParams * 2 / Self.hbm)
    #expect(abs(step.matrixSeconds - compute) / compute < 1e-12)
  }

  /// DeepSeek-V3 on one GPU's worth of arithmetic (ep 1): the weights read are the non-routed
  /// ones plus the distinct experts the batch touches in each of the 58 MoE layers.
  @Test func moeDecodeReadsDistinctExperts() {
    let model = InferenceModel(
      model: Self.v3, layout: InferenceLayout(), chip: Self.h800, precision: .fp8)
    let expert = 3 * 7168.0 * 2048
    let attention = 61 * 4 * 7168.0 * 7168
    let denseFFN = 3 * 3 * 7168.0 * 18432
    let shared = 58 * expert
    let routers = 58 * 7168.0 * 256
    let head = 7168.0 * 129_280
    let nonRouted = attention + denseFFN + shared + routers + head
    for batch in [1.0, 32, 1024] {
      let step = model.decodeStep(sequences: batch, context: 100)
      let distinct = 256 * (1 - pow(1 - 8.0 / 256, batch))
      let bytes = nonRouted + 58 * distinct * expert
      #expect(abs(step.weightBytes - bytes) / bytes < 1e-12, "batch \(batch)")
    }
    // At batch 1 only 8 of 256 experts are read; at 1,024 every one.
    let one = model.decodeStep(sequences: 1, context: 100).weightBytes
    let all = model.decodeStep(sequences: 1024, context: 100).weightBytes
    #expect(abs(all - one - 58 * 248 * expert) / all < 1e-6)
  }

  /// Prefill of a dense model: 2 FLOPs per parameter per token plus the causal attention core
  /// 4·heads·d_h·(P/2) per layer, over the bf16 rate and the prefill efficiency.
  @Test func prefillMatchesFLOPCount() {
    var chip = Self.h800
    chip.efficiency.gemm[.bf16] = 0.62
    let model = InferenceModel(
      model: Self.dense, layout: InferenceLayout(), chip: chip, precision: .bf16)
    let prompts = 8.0
    let length = 2048.0
    let tokens = prompts * length
    let flops = tokens * (2 * Self.denseReadParams + 32 * 4 * 32 * 128 * length / 2)
    let expected = flops / (989.5e12 * 0.62) / InferenceCalibration.prefill
    let estimate = model.prefill(prompts: prompts, promptTokens: length)
    #expect(abs(estimate.seconds - expected) / expected < 1e-12)
  }

  /// ISCA '25 §2.3.2: (1 B + 2 B) × 32 tokens × 9 experts × 7K / 50 GB/s = 120.96 µs per
  /// micro-batch, two micro-batches per layer, 61 layers: 14.76 ms.
  @Test func expertAllToAllReproducesTheISCAFloor() {
    var chip = Self.h800
    chip.efficiency.network = 1
    chip.efficiency.networkLatencyUS = 0
    let model = TransformerModel(
      kind: .moe, layers: 61, hidden: 7000, heads: 56, vocab: 1000, gatedFFN: true,
      routedExperts: 256, sharedExperts: 1, expertsPerToken: 8, expertFFN: 2048)
    let layout = InferenceLayout(expert: 1_000_000)
    let inference = InferenceModel(
      model: model, layout: layout, chip: chip, precision: .fp8, gpusPerNode: 1)
    let seconds = inference.expertAllToAllSeconds(rankTokens: 64, moeLayers: 61)
    #expect(abs(seconds - 14.76e-3) < 0.01e-3)
  }

  /// The shipped constants are what DeepSeek's published figures give, and with them the model
  /// reproduces those figures.
  @Test func calibrationReproducesDeepSeekInference() {
    let fit = InferenceCalibration.fit(chip: Self.h800)
    #expect(abs(fit.decodeLayerOverheadUS - InferenceCalibration.decodeLayerOverheadUS) < 1)
    #expect(abs(fit.prefill - InferenceCalibration.prefill) < 0.001)
    let decode = InferenceModel(
      model: Self.v3, layout: InferenceCalibration.decodeLayout, chip: Self.h800,
      precision: .fp8)
    let perGPU = InferenceCalibration.decodeSequencesPerGPU
    let step = decode.decodeStep(sequences: perGPU * 144, context: 4989)
    // 14.8K tokens/s per node and 21 tokens/s per user.
    #expect(abs(step.tokensPerSecond / 144 * 8 - 14_800) / 14_800 < 0.005)
    #expect(abs(1.85 / step.stepSeconds - 21) / 21 < 0.005)
    let prefill = InferenceModel(
      model: Self.v3, layout: InferenceCalibration.prefillLayout, chip: Self.h800,
      precision: .fp8)
    let estimate = prefill.prefill(prompts: 128, promptTokens: 4096)
    let perNodeInput = estimate.tokensPerSecond / 32 * 8 / (1 - 342.0 / 608)
    #expect(abs(perNodeInput - 73_700) / 73_700 < 0.005)
    // DeepSeek's KV cache fits: 88 sequences of 4,989 tokens beside the weights.
    #expect(perGPU * 4989 * 70_272 < decode.kvCapacityBytesPerGPU)
  }
}

/// Generated lengths, rollouts and RL steps.
@Suite struct RolloutTests {
  static let h800 = InferenceModelTests.h800

  /// The cut mean is the target: ∫₀ᶜ P(L > t) dt by the trapezoid rule; the cap holds.
  @Test func lengthDistributionMeanAndCap() throws {
    let lengths = try #require(LengthDistribution(meanTokens: 9000, cv: 0.6, capTokens: 32768))
    var integral = 0.0
    let dt = 1.0
    var t = 0.0
    while t < 32768 {
      integral += (lengths.survival(t) + lengths.survival(t + dt)) / 2 * dt
      t += dt
    }
    #expect(abs(integral - 9000) < 1)
    #expect(lengths.survival(32768) == 0)
    #expect(lengths.longest(of: 8192, u: 1e-12) <= 32768)
    // The median of the longest of n: Fⁿ(x) = 1/2.
    let median = lengths.longest(of: 100, u: 0.5)
    #expect(abs(pow(1 - lengths.survival(median), 100) - 0.5) < 1e-6)
    #expect(LengthDistribution(meanTokens: 40000, cv: 0.6, capTokens: 32768) == nil)
  }

  @Test func normalQuantileInvertsTheCDF() {
    for p in [1e-9, 1e-4, 0.01, 0.3, 0.5, 0.9, 0.999999] {
      #expect(abs(Normal.cdf(Normal.quantile(p)) - p) / p < 1e-9)
    }
  }

  /// A hand-made length set: [1, 2, 5] tokens on one GPU without speculation is five steps, with
  /// three, two, then one sequence, at contexts 10 to 14; only the longest sets the step count.
  @Test func rolloutTimeIsSetByItsLongestSample() {
    let model = InferenceModel(
      model: InferenceModelTests.dense, layout: InferenceLayout(), chip: Self.h800,
      precision: .bf16)
    func step(_ n: Double, _ context: Double) -> Double {
      model.decodeStep(sequences: n, context: context).stepSeconds
    }
    let expected = step(3, 10) + step(2, 11) + step(1, 12) + step(1, 13) + step(1, 14)
    #expect(abs(model.decodeSeconds(promptTokens: 10, lengths: [1, 2, 5]) - expected) < 1e-15)
    // The short samples change only the batch of the early steps, never the number of steps.
    let shorter = model.decodeSeconds(promptTokens: 10, lengths: [1, 1, 5])
    #expect(shorter < expected)
    #expect(shorter > 5 * step(1, 10))
  }

  /// The rollout table (expected batch, longest drawn) against decoding 2,048 drawn lengths
  /// one by one, with the table's longest set to the drawn longest.
  @Test func rolloutTableMatchesExplicitSamples() throws {
    let spec = RLSpec(
      model: InferenceModelTests.dense, steps: 4, promptsPerStep: 64, samplesPerPrompt: 8,
      minibatchesPerRollout: 4, promptTokens: 200, meanLength: .constant(2000), lengthCV: 0.6,
      maxLength: .constant(16384), inference: InferenceLayout(tensor: 8), layout: LayoutSpec())
    let pool = Pool(
      name: "p", chip: Self.h800, nodes: 1, gpusPerNode: 8, spareNodes: 0,
      failures: FailureModel(), cost: .rental(pricePerGPUHourUSD: 2))
    let planner = RolloutPlanner(spec: spec, precision: .bf16, pool: pool, gpus: 8)
    let lengths = try #require(LengthDistribution(meanTokens: 2000, cv: 0.6, capTokens: 16384))
    var stream = RandomStream(seed: 7, replication: 0)
    let normal = Distribution.logNormal(mu: lengths.mu, sigma: lengths.sigma)
    let drawn = (0..<2048).map { _ in min(16384, normal.sample(using: &stream)) }
    let explicit = planner.inference.decodeSeconds(promptTokens: 200, lengths: drawn)
    let (table, waves) = planner.decodeTable(
      sequences: 2048, lengths: lengths, capacityTokens: planner.inference.kvCapacityTokensPerEngine)
    #expect(waves == 1)
    let rollout = RolloutPlan.Rollout(
      firstStep: 0, updates: 4, samples: 2048, lengths: lengths, prefillSeconds: 0,
      scoringSeconds: 0, updateSeconds: 0, handOverSeconds: 0, waves: 1,
      cumulativeDecodeSeconds: table)
    let fromTable = rollout.decodeSeconds(longestTokens: drawn.max()!)
    print("rollout table \(fromTable) s, explicit samples \(explicit) s")
    #expect(abs(fromTable - explicit) / explicit < 0.03, "\(fromTable) vs \(explicit)")
  }
}
