/// The inference model's two constants and the published figures they come from: DeepSeek's
/// V3/R1 inference system on H800 ("Day 6: One More Thing, DeepSeek-V3/R1 Inference System
/// Overview", deepseek-ai/open-infra-index, Feb 2025) and ISCA '25 §2.3.3 for the speculative
/// decoding. Never R1's training GPU-hours (`docs/validation.md`, "Inference calibration").
public enum InferenceCalibration {
  /// "~14.8k tokens/s output during decoding" per H800 node.
  public static let decodeTokensPerSecondPerNode = 14_800.0
  /// "average output speed was 20–22 tokens per second": the middle.
  public static let userTokensPerSecond = 21.0
  /// "the average kvcache length per output token was 4,989 tokens".
  public static let decodeContextTokens = 4_989.0
  /// "~73.7k tokens/s input (including cache hits) during prefilling" per node.
  public static let prefillTokensPerSecondPerNode = 73_700.0
  /// 342B of the 608B input tokens hit the on-disk KV cache (56.3%) and are not computed.
  public static let cacheHitFraction = 342.0 / 608.0
  /// Prompt length of DeepSeek's published prefill profile (deepseek-ai/profile-data: "4K
  /// prompts", EP32, 16K tokens per GPU).
  public static let prefillPromptTokens = 4_096.0
  /// MTP acceptance of the second token, 80–90% (ISCA '25 §2.3.3): the middle.
  public static let mtpAcceptance = 0.85

  /// DeepSeek-V3's shape (V3 report §4.2) with MLA's cached widths: what was served.
  public static let deepSeekV3 = TransformerModel(
    kind: .moe, layers: 61, hidden: 7168, ffn: 18432, heads: 128, vocab: 129_280, gatedFFN: true,
    routedExperts: 256, sharedExperts: 1, expertsPerToken: 8, expertFFN: 2048, denseLayers: 3,
    latentAttention: .init(kvRank: 512, ropeDim: 64), headDim: 128)
  /// Decode: EP144 over 18 nodes, attention data-parallel on every GPU, dual micro-batch
  /// overlap, MTP (Day 6).
  public static let decodeLayout = InferenceLayout(
    tensor: 1, expert: 144, overlap: true, mtpAcceptance: mtpAcceptance)
  /// Prefill: EP32 over 4 nodes, attention data-parallel, dual micro-batch overlap (Day 6).
  public static let prefillLayout = InferenceLayout(tensor: 1, expert: 32, overlap: true)

  /// Sequences each GPU decodes at once: per-GPU output over per-user speed (≈ 88).
  public static var decodeSequencesPerGPU: Double {
    decodeTokensPerSecondPerNode / 8 / userTokensPerSecond
  }
  /// The decode step those figures imply: each sequence gains 1 + acceptance tokens per step
  /// at 21 tokens per second (≈ 88 ms).
  public static var decodeStepSeconds: Double { (1 + mtpAcceptance) / userTokensPerSecond }
  /// Prompt tokens each GPU computes per second: the cache misses of the node's input (≈ 4,030).
  public static var prefillComputedTokensPerSecondPerGPU: Double {
    prefillTokensPerSecondPerNode * (1 - cacheHitFraction) / 8
  }

  /// The fitted constants, rounded: `fit(chip:)` on the H800 gives 640.6 µs per layer (39.7 ms of
  /// the 88.1 ms step at 62 layers) and 0.388 with the catalog's H800 `gemm` (`InferenceModelTests` recomputes both).
  public static let decodeLayerOverheadUS = 641.0
  public static let prefill = 0.388

  /// Fits both constants on `chip` (H800): the per-layer overhead that brings the decode step at
  /// the published batch and context to the published step, and the prefill efficiency that
  /// brings the prefill compute to the published rate (the all-to-all, overlapped, is below it).
  public static func fit(chip: Chip) -> (decodeLayerOverheadUS: Double, prefill: Double) {
    var bare = chip
    bare.efficiency.decodeLayerOverheadUS = 0
    bare.efficiency.prefill = 1
    let decode = InferenceModel(
      model: deepSeekV3, layout: decodeLayout, chip: bare, precision: .fp8)
    let step = decode.decodeStep(
      sequences: decodeSequencesPerGPU * Double(decodeLayout.engineGPUs),
      context: decodeContextTokens)
    let overhead = (decodeStepSeconds - step.stepSeconds) / decode.decodeLayers * 1e6
    let prefill = InferenceModel(
      model: deepSeekV3, layout: prefillLayout, chip: bare, precision: .fp8)
    // 16K tokens per GPU, as in the profile: 4 prompts of 4K per GPU.
    let prompts = 4.0 * Double(prefillLayout.engineGPUs)
    let estimate = prefill.prefill(prompts: prompts, promptTokens: prefillPromptTokens)
    let publishedSeconds =
      estimate.tokens / Double(prefillLayout.engineGPUs) / prefillComputedTokensPerSecondPerGPU
    return (overhead, estimate.computeSeconds / publishedSeconds)
  }
}
