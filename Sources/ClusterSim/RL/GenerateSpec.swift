/// A generation phase (creating SFT data by rejection sampling): `samples` kept samples out of
/// `samples / keptFraction` generated, from prompts of `promptTokens` tokens, on inference
/// engines (`docs/model.md`, "Generation").
public struct GenerateSpec: Sendable, Hashable {
  public var model: TransformerModel
  /// Samples kept.
  public var samples: Double
  /// The fraction of generated samples kept.
  public var keptFraction: Double
  public var promptTokens: Double
  public var meanTokens: Double
  public var lengthCV: Double
  public var maxTokens: Double
  public var inference: InferenceLayout

  public init(
    model: TransformerModel, samples: Double, keptFraction: Double, promptTokens: Double,
    meanTokens: Double, lengthCV: Double, maxTokens: Double, inference: InferenceLayout
  ) {
    self.model = model
    self.samples = samples
    self.keptFraction = keptFraction
    self.promptTokens = promptTokens
    self.meanTokens = meanTokens
    self.lengthCV = lengthCV
    self.maxTokens = maxTokens
    self.inference = inference
  }

  /// Samples generated.
  public var generated: Double { samples / keptFraction }
}

/// A generation phase's time on a pool: continuous batching keeps each engine's KV cache full,
/// so it decodes at a steady concurrency; a sequence in flight is, on average, E[L²]/(2·E[L])
/// tokens in (the length-biased residual of renewal theory), which sets the KV it reads.
struct GeneratePlanner {
  let spec: GenerateSpec
  let precision: Precision
  let pool: Pool
  let gpus: Int

  func plan() throws(PlanError) -> GenerationPlan {
    let inference = InferenceModel(
      model: spec.model, layout: spec.inference, chip: pool.chip, precision: precision,
      gpusPerNode: pool.gpusPerNode)
    let engines = Double(try inference.engines(gpus: gpus))
    guard
      let lengths = LengthDistribution(
        meanTokens: spec.meanTokens, cv: spec.lengthCV, capTokens: spec.maxTokens)
    else {
      throw PlanError(key: "generated_tokens", "the mean length must be below the maximum length")
    }
    let capacity = inference.kvCapacityTokensPerEngine
    let inFlight = spec.promptTokens + lengths.secondMomentTokens2 / (2 * lengths.meanTokens)
    try inference.checkRoom(forSequenceOf: spec.promptTokens + spec.maxTokens)
    let perEngine = spec.generated / engines
    let concurrency = max(1, (capacity / inFlight).rounded(.down))
    let step = inference.decodeStep(sequences: concurrency, context: inFlight)
    let decode = perEngine * lengths.meanTokens / step.tokensPerSecond
    let prefill = inference.prefill(prompts: perEngine, promptTokens: spec.promptTokens).seconds
    return GenerationPlan(
      prefillSeconds: prefill, decodeSeconds: decode, concurrency: concurrency, step: step)
  }
}

/// A generate phase resolved for one pool at one GPU count (`GeneratePlanner`).
public struct GenerationPlan: Sendable, Hashable {
  public var prefillSeconds: Double
  public var decodeSeconds: Double
  /// Sequences each engine decodes at once.
  public var concurrency: Double
  /// The decode step at that concurrency.
  public var step: DecodeStep
  public var totalSeconds: Double { prefillSeconds + decodeSeconds }
}
