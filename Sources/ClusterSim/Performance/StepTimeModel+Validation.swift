/// What makes a layout impossible to build, in the order `StepTimeModel.validate` checks it.
/// The layout search checks the same list (`problem()`) without building messages.
public enum LayoutProblem: Sendable, Hashable, CaseIterable {
  case batchSplit
  case tensorHeads
  case virtualStagesWithoutInterleaving
  case interleavedWithoutPipeline
  case dualPipeOddStages
  case tooFewLayers
  case unevenLayers
  case contextSequence
  case expertsNeedMoE
  case expertsSplit
  case expertTensorNeedsMoE
  case expertTensorSplit
  case activationOffload
}

extension StepTimeModel {
  /// The first reason the layout cannot be built, or nil when it can (the chip's precision aside,
  /// which `validate` checks last).
  public func problem() -> LayoutProblem? {
    let layout = job.layout
    let model = job.model
    if layout.gpus != 0, job.globalBatch % layout.data != 0 { return .batchSplit }
    if model.heads % layout.tensor != 0 || model.kvHeads % layout.tensor != 0 {
      return .tensorHeads
    }
    if layout.schedule != .interleaved, layout.virtualStages != 1 {
      return .virtualStagesWithoutInterleaving
    }
    if layout.schedule == .interleaved, layout.pipeline == 1 { return .interleavedWithoutPipeline }
    if layout.schedule == .dualPipe, layout.pipeline % 2 != 0 { return .dualPipeOddStages }
    let stageChunks = layout.pipeline * chunksPerDevice
    if model.layers < stageChunks { return .tooFewLayers }
    if model.layers % stageChunks != 0, !layout.unevenPipeline { return .unevenLayers }
    if job.seqLen % layout.context != 0 { return .contextSequence }
    if layout.expert > 1 {
      if model.kind != .moe { return .expertsNeedMoE }
      if model.routedExperts % layout.expert != 0
        || (layout.expertTensor == nil && (layout.data * layout.context) % layout.expert != 0)
      {
        return .expertsSplit
      }
    }
    if let etp = layout.expertTensor {
      if model.kind != .moe, etp != layout.tensor { return .expertTensorNeedsMoE }
      let stage = layout.tensor * layout.context * layout.data
      if stage % (etp * layout.expert) != 0 || (model.kind == .moe && model.expertFFN % etp != 0) {
        return .expertTensorSplit
      }
    }
    // Megatron-Core refuses CPU offloading with pipeline parallelism, with any recomputation, and
    // of all the layers (`TransformerConfig.__post_init__`, megatron/core/transformer/
    // transformer_config.py).
    let offload = job.activationOffloadLayers
    if offload > 0, layout.pipeline > 1 || layout.recompute != .none || offload >= model.layers {
      return .activationOffload
    }
    return nil
  }

  /// Rejects layouts that cannot be built, saying what would fit.
  public func validate() throws(LayoutError) {
    if let problem = problem() { throw error(for: problem) }
    if chip.peakFLOPS(job.precision) == nil {
      throw LayoutError(
        key: "precision",
        "\(chip.name) has no \(job.precision.peakName) (it has: "
          + chip.precisions.map(\.name).joined(separator: ", ") + ")")
    }
    if let error = Self.headroomError(job.memoryHeadroomGB, chip: chip) { throw error }
  }

  /// A headroom that leaves none of the chip's memory (`memory_headroom_gb` ≥ HBM), or nil.
  static func headroomError(_ headroomGB: Double, chip: Chip) -> LayoutError? {
    guard headroomGB >= chip.hbmGB else { return nil }
    let hbm = ConfigValue.format(chip.hbmGB)
    return LayoutError(
      key: "parallelism.memory_headroom_gb",
      "memory_headroom_gb \(ConfigValue.format(headroomGB)) leaves none of the chip's \(hbm) GB "
        + "of HBM per GPU; use less than \(hbm)")
  }

  /// The located message of `problem`, with what would fit.
  func error(for problem: LayoutProblem) -> LayoutError {
    let layout = job.layout
    let model = job.model
    let chunks = chunksPerDevice
    let stageChunks = layout.pipeline * chunks
    switch problem {
    case .activationOffload:
      let offload = job.activationOffloadLayers
      let reason =
        layout.pipeline > 1
        ? "needs pp 1 (Megatron-Core offloads no pipeline stage)"
        : layout.recompute != .none
          ? "needs recompute: none (Megatron-Core offloads no recomputed layer)"
          : "must be below the model's \(model.layers) layers"
      return LayoutError(
        key: "parallelism.activation_offload_layers",
        "activation_offload_layers \(offload) \(reason)")
    case .batchSplit:
      return LayoutError(
        key: "global_batch",
        "global_batch \(job.globalBatch) does not split over dp \(layout.data) data-parallel "
          + "replicas; use a multiple of \(layout.data)")
    case .tensorHeads:
      let fits = Self.divisors(of: Self.gcd(model.heads, model.kvHeads)).filter { $0 <= 64 }
      return LayoutError(
        key: "parallelism.tp",
        "tp \(layout.tensor) does not divide the \(model.heads) attention heads and "
          + "\(model.kvHeads) key/value heads; tp may be \(fits.map(String.init).joined(separator: ", "))"
      )
    case .virtualStagesWithoutInterleaving:
      return LayoutError(
        key: "parallelism.virtual_stages",
        "virtual_stages \(layout.virtualStages) needs schedule: interleaved (the schedule is "
          + "\(layout.schedule.rawValue))")
    case .interleavedWithoutPipeline:
      return LayoutError(
        key: "parallelism.schedule",
        "the interleaved schedule needs pipeline stages (pp > 1); use schedule: 1f1b at pp 1")
    case .dualPipeOddStages:
      return LayoutError(
        key: "parallelism.pp",
        "dualpipe needs an even number of pipeline stages, got pp \(layout.pipeline)")
    case .tooFewLayers:
      return LayoutError(
        key: "parallelism.pp",
        "\(model.layers) layers cannot fill \(stageChunks) pipeline chunks (pp \(layout.pipeline) "
          + "× \(chunks) per device); use pp at most \(model.layers / chunks)")
    case .unevenLayers:
      let pipelines = (1...model.layers).filter { model.layers % ($0 * chunks) == 0 }
      let advice: String
      if pipelines.isEmpty {
        let depths = Self.divisors(of: model.layers).map(String.init)
        advice =
          "no pp splits \(model.layers) layers into \(chunks) chunks per device; use "
          + "virtual_stages \(depths.dropLast().joined(separator: ", ")) or \(depths.last ?? "1")"
      } else {
        advice = "pp may be \(pipelines.map(String.init).joined(separator: ", "))"
      }
      return LayoutError(
        key: "parallelism.pp",
        "\(model.layers) layers do not split evenly over \(stageChunks) pipeline chunks (pp "
          + "\(layout.pipeline) × \(chunks) per device); \(advice), or set "
          + "parallelism.uneven_pipeline: true to let some stages hold a layer fewer")
    case .contextSequence:
      return LayoutError(
        key: "parallelism.cp", "cp \(layout.context) does not divide seq_len \(job.seqLen)")
    case .expertsNeedMoE:
      return LayoutError(key: "parallelism.ep", "ep \(layout.expert) needs an MoE model")
    case .expertsSplit:
      let fits = Self.divisors(of: Self.gcd(layout.data * layout.context, model.routedExperts))
      return LayoutError(
        key: "parallelism.ep",
        "ep \(layout.expert) must divide dp·cp (\(layout.data * layout.context)) and the "
          + "\(model.routedExperts) routed experts; ep may be "
          + fits.map(String.init).joined(separator: ", "))
    case .expertTensorNeedsMoE:
      return LayoutError(
        key: "parallelism.etp",
        "etp \(layout.expertTensorSize) needs an MoE model (a dense model's FFN is split by tp "
          + "\(layout.tensor))")
    case .expertTensorSplit:
      // Megatron-Core re-divides a stage's tp·cp·dp GPUs as etp·ep·edp.
      let stage = layout.tensor * layout.context * layout.data
      let fits = Self.divisors(of: stage / Self.gcd(stage, layout.expert)).filter {
        stage % ($0 * layout.expert) == 0 && model.expertFFN % $0 == 0
      }
      let advice =
        fits.isEmpty
        ? "no etp fits ep \(layout.expert); use an ep dividing \(stage)"
        : "etp may be " + fits.map(String.init).joined(separator: ", ")
      return LayoutError(
        key: "parallelism.etp",
        "etp \(layout.expertTensorSize) × ep \(layout.expert) must divide tp·cp·dp "
          + "(\(stage)) and etp the expert_ffn \(model.expertFFN) (Megatron-Core splits a "
          + "stage's GPUs as etp·ep·edp); \(advice)")
    }
  }
}
