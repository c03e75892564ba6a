import Foundation

/// Prefill and decode of a model on engines of one chip, from first principles: FLOPs over the
/// calibrated matrix rate, bytes over HBM bandwidth (the roofline of Williams, Waterman and
/// Patterson, CACM 2009, as the JAX scaling book applies it to generation), tensor-parallel
/// all-reduces and expert all-to-alls under the α-β model, and a fixed per-layer cost per step.
/// Every term and its source is in `docs/model.md` ("Inference"); the two calibrated constants
/// (`Efficiency.prefill`, `Efficiency.decodeLayerOverheadUS`) in `docs/validation.md`.
public struct InferenceModel: Sendable {
  public let model: TransformerModel
  public let layout: InferenceLayout
  public let chip: Chip
  /// The precision of the weights and their matrix multiplies (the attention core and the KV
  /// cache are bf16).
  public let precision: Precision
  public let gpusPerNode: Int

  public init(
    model: TransformerModel, layout: InferenceLayout, chip: Chip, precision: Precision,
    gpusPerNode: Int = 8
  ) {
    self.model = model
    self.layout = layout
    self.chip = chip
    self.precision = precision
    self.gpusPerNode = gpusPerNode
  }

  // MARK: Sizes

  /// Layers a decode step runs: the model's, and the multi-token-prediction module (one layer)
  /// when speculating.
  var decodeLayers: Double { Double(model.layers) + (layout.mtpAcceptance == nil ? 0 : 1) }
  var decodeMoELayers: Double {
    Double(model.moeLayers) + (layout.mtpAcceptance != nil && model.kind == .moe ? 1 : 0)
  }
  /// Parameters outside the routed experts, over `layers` layers (per-layer average), with the
  /// output projection.
  func nonRoutedParams(layers: Double) -> Double {
    let perLayer = model.layerParams(expertsPerMoELayer: model.sharedExperts) / Double(model.layers)
    return perLayer * layers + Double(model.vocab) * Double(model.hidden)
  }
  /// GPUs one routed expert's weights are split over: the tensor-parallel ranks when the experts
  /// are not expert-parallel, else one.
  var expertShards: Double { layout.expert > 1 ? 1 : Double(layout.tensor) }

  /// Weight bytes each GPU holds for decoding (the draft layer included).
  public var residentWeightBytes: Double {
    let routed =
      decodeMoELayers * Double(layout.expertsPerGPU(model)) * model.expertParams / expertShards
    return (nonRoutedParams(layers: decodeLayers) / Double(layout.tensor) + routed)
      * precision.bytesPerValue
  }

  /// KV-cache bytes per token on one GPU (bf16): split over the key/value heads of a
  /// tensor-parallel rank, whole on every rank for MLA's one latent.
  public var kvBytesPerTokenPerGPU: Double {
    let perToken = model.kvBytesPerToken(bytesPerValue: 2)
    guard model.latentAttention == nil else { return perToken }
    return perToken / Double(min(layout.tensor, model.kvHeads))
  }

  /// KV-cache bytes a GPU has room for: its usable HBM less the weights.
  public var kvCapacityBytesPerGPU: Double {
    chip.hbmGB * 1e9 * layout.memoryFraction - residentWeightBytes
  }

  /// Tokens of context one engine can cache at once.
  public var kvCapacityTokensPerEngine: Double {
    max(0, kvCapacityBytesPerGPU) / kvBytesPerTokenPerGPU * Double(layout.attentionRanks)
  }

  /// The engines `gpus` GPUs hold, after checking that the layout can serve the model and
  /// that an engine's weights leave room for a KV cache.
  public func engines(gpus: Int) throws(PlanError) -> Int {
    if let problem = layout.problem(model: model, gpusPerNode: gpusPerNode) {
      throw PlanError(key: "inference", problem)
    }
    guard gpus % layout.engineGPUs == 0 else {
      throw PlanError(
        key: "inference",
        "engines of \(layout.engineGPUs) GPUs (ep \(layout.expert), tp \(layout.tensor)) do not "
          + "divide the phase's \(gpus) GPUs")
    }
    guard kvCapacityBytesPerGPU > 0 else {
      throw PlanError(
        key: "inference",
        "the model's weights need \(String(format: "%.1f", residentWeightBytes / 1e9)) GB "
          + "per GPU on engines of \(layout.engineGPUs) GPUs, more than the "
          + "\(String(format: "%.0f", layout.memoryFraction * 100))% of "
          + "\(ConfigValue.format(chip.hbmGB)) GB usable; \(memoryAdvice())")
    }
    return gpus / layout.engineGPUs
  }

  /// Throws unless one attention rank has room, after the weights, for the KV cache of a
  /// sequence of `tokens` tokens (a sequence lives on one rank).
  public func checkRoom(forSequenceOf tokens: Double) throws(PlanError) {
    guard tokens <= kvCapacityTokensPerEngine / Double(layout.attentionRanks) else {
      throw PlanError(
        key: "inference",
        "one sequence of \(ConfigValue.format(tokens)) tokens needs more KV cache than a GPU of "
          + "the engine has left after the weights; \(memoryAdvice(sequenceTokens: tokens))")
    }
  }

  // MARK: Rates

  var hbmBytesPerSecond: Double { chip.hbmTBPerS * 1e12 * chip.efficiency.hbm }
  func matrixRate(_ precision: Precision) -> Double {
    (chip.peakFLOPS(precision) ?? chip.peakFLOPS(.bf16) ?? 1)
      * (chip.efficiency.gemm(for: precision) ?? chip.efficiency.gemm[.bf16] ?? 0.5)
  }

  // MARK: Decode

  /// One decode step of `sequences` sequences spread over the engine, each with `context` tokens
  /// cached.
  public func decodeStep(sequences: Double, context: Double) -> DecodeStep {
    let ranks = Double(layout.attentionRanks)
    let tp = Double(layout.tensor)
    let perRank = sequences / ranks
    let rankPositions = perRank * layout.positionsPerStep
    let enginePositions = sequences * layout.positionsPerStep
    let layers = decodeLayers
    let moeLayers = decodeMoELayers

    let touched =
      model.kind == .moe
      ? Double(layout.expertsPerGPU(model))
        * TransformerModel.distinctExperts(
          experts: model.routedExperts, perToken: model.expertsPerToken, tokens: enginePositions)
        / Double(model.routedExperts)
      : 0
    let nonRouted = nonRoutedParams(layers: layers)
    let weightBytes =
      (nonRouted / tp + moeLayers * touched * model.expertParams / expertShards)
      * precision.bytesPerValue
    let kvBytes = perRank * context * kvBytesPerTokenPerGPU

    let matrixFLOPs =
      rankPositions * 2 * nonRouted / tp
      + moeLayers * enginePositions * Double(model.expertsPerToken) * 2 * model.expertParams
      / Double(layout.engineGPUs)
    let attentionFLOPs =
      rankPositions * model.attentionFLOPsPerPosition(decode: true) * context * layers / tp
    let matrix = max(matrixFLOPs / matrixRate(precision), weightBytes / hbmBytesPerSecond)
    let attention = max(attentionFLOPs / matrixRate(.bf16), kvBytes / hbmBytesPerSecond)

    let tensorParallel = tensorParallelSeconds(rankTokens: rankPositions, layers: layers)
    let expert = expertAllToAllSeconds(rankTokens: rankPositions, moeLayers: moeLayers)
    return DecodeStep(
      sequences: sequences, weightBytes: weightBytes, kvBytes: kvBytes, matrixSeconds: matrix,
      attentionSeconds: attention, tensorParallelSeconds: tensorParallel,
      expertParallel: layout.overlap
        ? Overlapped(seconds: expert, behind: matrix + attention)
        : Overlapped(exposedSeconds: expert),
      overheadSeconds: layers * chip.efficiency.decodeLayerOverheadUS * 1e-6,
      tokensPerSequence: layout.tokensPerStep)
  }

  /// Decode seconds of one engine generating exactly `lengths` tokens for its sequences, all
  /// started together after prompts of `promptTokens`: step by step, every sequence still
  /// generating gains `tokensPerStep` tokens, and one that reaches its length leaves the batch.
  /// The batch shrinks as samples finish; the last step is the longest sample's.
  public func decodeSeconds(promptTokens: Double, lengths: [Double]) -> Double {
    let sorted = lengths.sorted()
    var done = 0
    var generated = 0.0
    var seconds = 0.0
    while done < sorted.count {
      let alive = Double(sorted.count - done)
      seconds += decodeStep(sequences: alive, context: promptTokens + generated).stepSeconds
      generated += layout.tokensPerStep
      while done < sorted.count, sorted[done] <= generated { done += 1 }
    }
    return seconds
  }

  // MARK: Prefill

  /// Prefill of `prompts` prompts of `promptTokens` tokens each, spread over the engine: the
  /// FLOPs at the prompt length (causal attention: each token attends to half the prompt on
  /// average) at the matrix rate times `Efficiency.prefill`.
  public func prefill(prompts: Double, promptTokens: Double) -> PrefillEstimate {
    let ranks = Double(layout.attentionRanks)
    let tp = Double(layout.tensor)
    let rankTokens = prompts * promptTokens / ranks
    let engineTokens = prompts * promptTokens
    let layers = Double(model.layers)
    let matrixFLOPs =
      rankTokens * 2 * nonRoutedParams(layers: layers) / tp
      + Double(model.moeLayers) * engineTokens * Double(model.expertsPerToken) * 2
      * model.expertParams / Double(layout.engineGPUs)
    let attentionFLOPs =
      rankTokens * model.attentionFLOPsPerPosition(decode: false) * promptTokens / 2 * layers / tp
    let compute =
      (matrixFLOPs / matrixRate(precision) + attentionFLOPs / matrixRate(.bf16))
      / chip.efficiency.prefill
    let expert = expertAllToAllSeconds(
      rankTokens: rankTokens, moeLayers: Double(model.moeLayers), microbatches: 1)
    return PrefillEstimate(
      tokens: engineTokens,
      computeSeconds: compute,
      expertParallel: layout.overlap
        ? Overlapped(seconds: expert, behind: compute) : Overlapped(exposedSeconds: expert),
      tensorParallelSeconds: tensorParallelSeconds(rankTokens: rankTokens, layers: layers))
  }

  // MARK: Communication

  /// Two all-reduces per layer (after attention and after the FFN) of the rank's activations,
  /// bf16, over the tensor-parallel GPUs' NVLink.
  func tensorParallelSeconds(rankTokens: Double, layers: Double) -> Double {
    guard layout.tensor > 1 else { return 0 }
    return 2 * layers
      * Collectives.allReduceSeconds(
        bytes: rankTokens * Double(model.hidden) * 2, ranks: layout.tensor, link: .nvlink(chip))
  }

  /// Expert dispatch and combine per MoE layer, each GPU sending its share of the rank's tokens
  /// to the k routed experts and the shared ones, FP8 out (when the weights are FP8) and bf16
  /// back: ISCA '25 §2.3.2's (1 B + 2 B) × tokens × 9 × hidden / bandwidth. The destinations
  /// on other nodes go over the network, the rest over NVLink, at the same time; each exchange
  /// pays one latency per micro-batch (two with dual micro-batch overlap).
  func expertAllToAllSeconds(rankTokens: Double, moeLayers: Double, microbatches: Int? = nil)
    -> Double
  {
    guard model.kind == .moe, layout.expert > 1 else { return 0 }
    let ep = Double(layout.expert)
    let perNode = Double(min(gpusPerNode, layout.expert))
    let fanout = Double(model.expertsPerToken + model.sharedExperts)
    let bytesPerToken =
      Double(model.hidden) * ((precision.isEightBitOrNarrower ? 1 : 2) + 2) * fanout
    let sent = rankTokens / Double(layout.tensor) * bytesPerToken
    let network = Link.network(chip)
    let nvlink = Link.nvlink(chip)
    let offNode = sent * (ep - perNode) / ep
    let inNode = sent * (perNode - 1) / ep
    let exchanges = Double(2 * (microbatches ?? (layout.overlap ? 2 : 1)))
    let latency = ep > perNode ? network.latencySeconds : nvlink.latencySeconds
    return moeLayers
      * (max(offNode / network.bytesPerSecond, inNode / nvlink.bytesPerSecond)
        + exchanges * latency)
  }
}
