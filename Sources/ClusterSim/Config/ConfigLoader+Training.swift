import Yams

extension ConfigLoader {
  /// Keys of `model:` for a phase described from first principles.
  static let shapeKeys = [
    "dense_layers", "dropout", "experts_per_token", "expert_ffn", "ffn", "ffn_activation",
    "flops_per_token", "head_dim", "heads", "hidden", "kind", "kv_heads", "kv_rank", "layers",
    "rope_dim", "routed_experts", "shared_experts", "vocab",
  ]
  static let parallelismKeys = [
    "activation_offload_layers", "cp", "dp", "ep", "etp", "extrapolate", "grad_reduce",
    "memory_headroom_gb", "microbatch",
    "overlap_grad_reduce", "overlap_tp_comm", "pp", "recompute", "schedule", "sequence_parallel",
    "tp", "tp_across_nodes", "uneven_pipeline", "virtual_stages", "zero",
  ]

  /// Whether `model:` describes a shape (it has `layers`) rather than `active_params` alone.
  static func describesShape(_ model: ConfigValue?) -> Bool {
    guard let model, case .mapping(let mapping) = model.node else { return false }
    return mapping.keys.contains { $0.scalar?.string == "layers" }
  }

  /// `model:` as a transformer shape.
  static func readShape(_ value: ConfigValue, _ diagnostics: inout ConfigDiagnostics) -> (
    TransformerModel, flopsPerToken: Double?
  )? {
    guard let fields = ConfigMapping(value, allowedKeys: shapeKeys, diagnostics: &diagnostics)
    else { return nil }
    let big = 1...100_000_000
    func int(_ key: String, required: Bool = true, in range: ClosedRange<Int> = big) -> Int? {
      let found = required ? fields.required(key, &diagnostics) : fields[key]
      return found?.integer(in: range, &diagnostics)
    }
    let kind =
      fields["kind"].map { choice($0, TransformerModel.Kind.self, named: "model kind", &diagnostics) }
      ?? .dense
    let layers = int("layers", in: 1...100_000)
    let hidden = int("hidden")
    let heads = int("heads", in: 1...100_000)
    let vocab = int("vocab")
    let ffn = int("ffn", required: false)
    let kvHeads = int("kv_heads", required: false, in: 1...100_000)
    let headDim = int("head_dim", required: false, in: 1...100_000)
    // MLA: both cached widths, or neither.
    let kvRank = int("kv_rank", required: false, in: 1...1_000_000)
    let ropeDim = int("rope_dim", required: false, in: 0...1_000_000)
    if (kvRank == nil) != (ropeDim == nil), let at = fields["kv_rank"] ?? fields["rope_dim"] {
      diagnostics.report(
        at, "multi-head latent attention needs both kv_rank and rope_dim (DeepSeek-V3: 512 and 64)")
      return nil
    }
    let activation =
      fields["ffn_activation"].map { choice($0, FFNActivation.self, named: "ffn_activation", &diagnostics) }
      ?? .swiglu
    let dropout = fields["dropout"].map { bool($0, &diagnostics) } ?? false
    var flopsPerToken: Double?
    if let given = fields["flops_per_token"] {
      flopsPerToken = given.positiveNumber(atMost: .flopsPerToken, &diagnostics)
    }
    let moeKeys = ["routed_experts", "experts_per_token", "expert_ffn"]
    var routed = 0
    var perToken = 0
    var expertFFN = 0
    var shared = 0
    var denseLayers = 0
    if kind == .moe {
      routed = int("routed_experts", in: 1...1_000_000) ?? 0
      perToken = int("experts_per_token", in: 1...1_000_000) ?? 0
      expertFFN = int("expert_ffn") ?? 0
      shared = int("shared_experts", required: false, in: 0...1_000_000) ?? 0
      denseLayers = int("dense_layers", required: false, in: 0...100_000) ?? 0
      if let layers, denseLayers >= layers, let at = fields["dense_layers"] {
        diagnostics.report(at, "must be fewer than the \(layers) layers, got \(denseLayers)")
        return nil
      }
      if perToken > routed, let at = fields["experts_per_token"] {
        diagnostics.report(
          at, "a token cannot use \(perToken) of \(routed) routed experts; at most \(routed)")
        return nil
      }
    } else if let extra = (moeKeys + ["shared_experts", "dense_layers"]).first(where: fields.has),
      let at = fields[extra]
    {
      diagnostics.report(at, "applies only to kind: moe")
      return nil
    }
    if let heads, let kvHeads, heads % kvHeads != 0, let at = fields["kv_heads"] {
      diagnostics.report(at, "\(kvHeads) key/value heads do not divide the \(heads) heads")
      return nil
    }
    // With head_dim given, the projections are heads·head_dim wide and need not equal hidden.
    if headDim == nil, let heads, let hidden, hidden % heads != 0, let at = fields["heads"] {
      diagnostics.report(at, "\(heads) heads do not divide hidden \(hidden)")
      return nil
    }
    guard let kind, let layers, let hidden, let heads, let vocab, let activation, let dropout,
      kind == .dense || (routed > 0 && perToken > 0 && expertFFN > 0)
    else { return nil }
    let gated = activation == .swiglu
    // Without `ffn`: 4h for GeLU; for SwiGLU, 2/3 of 4h (the same parameters with three
    // matrices) rounded up to a multiple of 256, Llama's rule (Touvron et al., 2023, §2.2).
    let defaultFFN = gated ? (8 * hidden / 3 + 255) / 256 * 256 : 4 * hidden
    let model = TransformerModel(
      kind: kind, layers: layers, hidden: hidden, ffn: ffn ?? defaultFFN, heads: heads,
      kvHeads: kvHeads,
      vocab: vocab, gatedFFN: gated, routedExperts: routed,
      sharedExperts: shared, expertsPerToken: perToken, expertFFN: expertFFN,
      denseLayers: denseLayers, dropout: dropout,
      latentAttention: kvRank.flatMap { rank in ropeDim.map { .init(kvRank: rank, ropeDim: $0) } },
      headDim: headDim)
    return (model, flopsPerToken)
  }

  /// `true` or `false`.
  static func bool(
    _ value: ConfigValue, orAuto: Bool = false, _ diagnostics: inout ConfigDiagnostics
  ) -> Bool? {
    if case .scalar(let scalar) = value.node, scalar.style == .plain {
      switch scalar.string.lowercased() {
      case "true", "yes", "on": return true
      case "false", "no", "off": return false
      default: break
      }
    }
    diagnostics.report(
      value, "expected true or false\(orAuto ? " or auto" : ""), got \(value.shown)")
    return nil
  }

  /// Whether a value is the scalar `auto`.
  static func isAuto(_ value: ConfigValue?) -> Bool {
    guard let value, case .scalar(let scalar) = value.node else { return false }
    return scalar.string == "auto"
  }

  /// `parallelism:` as written: `auto` (every key searched), or a mapping whose keys are values
  /// or `auto`; absent keys take their defaults (`LayoutSpec`). dp is checked against the GPUs
  /// by the planner.
  static func readParallelism(_ value: ConfigValue?, _ diagnostics: inout ConfigDiagnostics)
    -> LayoutSpec?
  {
    if isAuto(value) { return .auto }
    if let value, case .scalar = value.node {
      let text = value.shown
      diagnostics.report(
        value,
        "expected auto or a mapping of layout keys (\(parallelismKeys.joined(separator: ", "))), "
          + "got \(text)\(Suggestion.didYouMean(value.node.scalar?.string ?? "", in: ["auto"]))")
      return nil
    }
    var fields: ConfigMapping?
    let issuesBefore = diagnostics.issues.count
    if let value {
      guard
        let mapping = ConfigMapping(value, allowedKeys: parallelismKeys, diagnostics: &diagnostics)
      else { return nil }
      fields = mapping
    }
    var valid = true
    /// The key's value: nil for `auto`, the fallback when absent.
    func read<T>(_ key: String, _ fallback: T?, _ parse: (ConfigValue) -> T?) -> T? {
      guard let found = fields?[key] else { return fallback }
      if isAuto(found) { return nil }
      guard let parsed = parse(found) else {
        valid = false
        return fallback
      }
      return parsed
    }
    func int(_ key: String, _ fallback: Int?, in range: ClosedRange<Int> = 1...100_000_000) -> Int?
    {
      read(key, fallback) { found in
        if case .scalar(let scalar) = found.node, scalar.style == .plain,
          Double(scalar.string) == nil, Int(scalar.string.filter { $0 != "_" }) == nil
        {
          diagnostics.report(
            found,
            "expected a whole number or auto, got \(found.shown)"
              + Suggestion.didYouMean(scalar.string, in: ["auto"]))
          return nil
        }
        return found.integer(in: range, &diagnostics)
      }
    }
    func flag(_ key: String) -> Bool? { read(key, false) { bool($0, orAuto: true, &diagnostics) } }
    var spec = LayoutSpec()
    spec.tensor = int("tp", 1)
    spec.pipeline = int("pp", 1)
    spec.context = int("cp", 1)
    spec.data = int("dp", nil)
    spec.expert = int("ep", 1)
    spec.virtualStages = int("virtual_stages", 1, in: 1...1000)
    spec.zero = int("zero", 1, in: 0...3)
    spec.microbatch = int("microbatch", nil)
    spec.recompute = read("recompute", Recompute.none) { recompute($0, &diagnostics) }
    // The schedule follows the virtual stages when absent: interleaved for v > 1, 1F1B for v 1,
    // searched with them when v is `auto`.
    let derived: PipelineSchedule? = spec.virtualStages.map { $0 > 1 ? .interleaved : .oneFOneB }
    spec.schedule = read("schedule", derived) { choice($0, PipelineSchedule.self, named: "schedule", orAuto: true, &diagnostics) }
    spec.sequenceParallel = flag("sequence_parallel")
    spec.unevenPipeline = flag("uneven_pipeline")
    // Expert tensor parallelism: a number (never searched); absent, it follows tp.
    if let given = fields?["etp"] {
      if let etp = given.integer(in: 1...100_000_000, &diagnostics) {
        spec.expertTensor = etp
      } else {
        valid = false
      }
    }
    if let given = fields?["tp_across_nodes"] {
      spec.tensorAcrossNodes = bool(given, &diagnostics) ?? false
    }
    if let given = fields?["grad_reduce"] {
      let precision = choice(given, GradientPrecision.self, named: "grad_reduce", &diagnostics)
      spec.gradientSync.precision = precision ?? .bf16
    }
    if let given = fields?["overlap_tp_comm"] {
      spec.overlapTensorParallel = bool(given, &diagnostics) ?? false
    }
    if let given = fields?["overlap_grad_reduce"] {
      spec.gradientSync.overlapped = bool(given, &diagnostics) ?? true
    }
    // GB per GPU kept free: a number, never searched; whether it leaves any of the chip's memory
    // is the planner's check (the chip is the pool's).
    if let given = fields?["memory_headroom_gb"] {
      if let headroom = given.nonNegativeNumber(atMost: .hbmGB, &diagnostics) {
        spec.memoryHeadroomGB = headroom
      } else {
        valid = false
      }
    }
    // Layers whose activations wait in host memory: a whole number, never searched; whether the
    // layout allows it (pp 1, no recomputation, fewer than the model's layers) is the model's check.
    if let given = fields?["activation_offload_layers"] {
      if let layers = given.integer(in: 0...1_000_000, &diagnostics) {
        spec.activationOffloadLayers = layers
      } else {
        valid = false
      }
    }
    if let given = fields?["extrapolate"] {
      spec.extrapolate = bool(given, &diagnostics) ?? false
    }
    // Any problem in the block (an unknown key too) stops here: no plan of a layout the user did
    // not write.
    return valid && diagnostics.issues.count == issuesBefore ? spec : nil
  }

  /// A phase given as model + data + layout, as written (the planner prices its steps).
  static func readTraining(_ fields: ConfigMapping, _ diagnostics: inout ConfigDiagnostics)
    -> Work?
  {
    guard var spec = readTrainingShape(fields, &diagnostics) else { return nil }
    var steps: Double?
    if let tokens = fields["tokens"] {
      steps = tokens.positiveNumber(atMost: .trainingTokens, &diagnostics).map {
        $0 / (Double(spec.globalBatch) * Double(spec.seqLen))
      }
    } else if let given = fields["steps"] {
      steps = given.positiveNumber(atMost: .steps, &diagnostics)
    }
    guard let steps else { return nil }
    spec.steps = steps
    return .training(spec)
  }

  /// The model, sequence, batch, kernel and layout of a training phase (steps left at 0).
  static func readTrainingShape(_ fields: ConfigMapping, _ diagnostics: inout ConfigDiagnostics)
    -> TrainingSpec?
  {
    guard let modelValue = fields["model"] else { return nil }
    let shape = readShape(modelValue, &diagnostics)
    let seqLen = fields.required("seq_len", &diagnostics)?.integer(
      in: 1...100_000_000, &diagnostics)
    let batch = fields.required("global_batch", &diagnostics)?
      .integer(in: 1...1_000_000_000, &diagnostics)
    var kernel = AttentionKernel.flash
    if let given = fields["attention_kernel"] {
      guard let parsed = choice(given, AttentionKernel.self, named: "attention kernel", &diagnostics) else { return nil }
      kernel = parsed
    }
    if fields.has("mfu"), let at = fields["mfu"] {
      diagnostics.report(
        at,
        "the step time is computed from the model and its layout; remove mfu (it applies to "
          + "model.active_params)")
      return nil
    }
    guard let layout = readParallelism(fields["parallelism"], &diagnostics),
      let (model, flopsPerToken) = shape, let seqLen, let batch
    else { return nil }
    return TrainingSpec(
      model: model, flopsPerTokenOverride: flopsPerToken, seqLen: seqLen, globalBatch: batch,
      steps: 0, layout: layout, attentionKernel: kernel)
  }
}
