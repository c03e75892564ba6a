import Yams

/// Phase kinds beyond training: `rl` (rollouts, scoring and updates), `generate` (samples on
/// inference engines) and `sft` (training on samples of a mean length), `docs/config.md`
/// ("RL post-training").
extension ConfigLoader {
  /// What a phase is; absent, it is training or a fixed amount of work.
  enum PhaseKind: String, CaseIterable { case rl, generate, sft }

  /// Keys only one kind takes.
  static let kindKeys: [PhaseKind: [String]] = [
    .rl: [
      "generated_tokens", "inference", "minibatches_per_rollout", "outputs_per_rollout",
      "prompt_tokens", "prompts_per_step", "reference", "reward_model_steps",
      "samples_per_prompt",
    ],
    .generate: ["generated_tokens", "inference", "kept_fraction", "prompt_tokens", "samples"],
    .sft: ["epochs", "mean_tokens", "samples"],
  ]
  static let inferenceKeys = ["ep", "memory_fraction", "mtp_acceptance", "overlap", "tp"]
  static let lengthKeys = ["cv", "max", "mean"]

  /// Every key some kind takes.
  static var allKindKeys: [String] { Array(Set(kindKeys.values.joined())).sorted() }

  /// Reports the first key that belongs only to other kinds than `kind` (nil: a phase of no
  /// kind); true when there is one.
  static func misplacedKindKey(
    _ kind: PhaseKind?, _ fields: ConfigMapping, _ diagnostics: inout ConfigDiagnostics
  ) -> Bool {
    let allowed = Set(kind.flatMap { kindKeys[$0] } ?? [])
    guard let key = allKindKeys.first(where: { fields.has($0) && !allowed.contains($0) }),
      let at = fields[key]
    else { return false }
    let owners = PhaseKind.allCases.filter { kindKeys[$0]?.contains(key) ?? false }
      .map { "kind: \($0.rawValue)" }.joined(separator: " or ")
    diagnostics.report(at, "applies only to a phase of \(owners)")
    return true
  }

  /// The work of a phase of kind `kind`.
  static func readKindWork(
    _ kind: PhaseKind, _ fields: ConfigMapping, _ diagnostics: inout ConfigDiagnostics
  ) -> Work? {
    switch kind {
    case .rl: readRL(fields, &diagnostics)
    case .generate: readGenerate(fields, &diagnostics)
    case .sft: readSFT(fields, &diagnostics)
    }
  }

  /// Reports the first of `keys` present, which a phase whose work is `derived` does not take;
  /// true when there is one.
  static func derivedWorkKey(
    _ keys: [String], _ fields: ConfigMapping, derived: String,
    _ diagnostics: inout ConfigDiagnostics
  ) -> Bool {
    guard let key = keys.first(where: fields.has), let at = fields[key] else { return false }
    diagnostics.report(at, "\(derived); remove \(key)")
    return true
  }

  /// `model:` of an inference or RL phase: a shape is required.
  static func readPolicy(_ fields: ConfigMapping, _ diagnostics: inout ConfigDiagnostics)
    -> TransformerModel?
  {
    guard let value = fields.required("model", &diagnostics) else { return nil }
    guard describesShape(value) else {
      diagnostics.report(value, "give the model's shape (layers, hidden, heads, vocab, ...)")
      return nil
    }
    return readShape(value, &diagnostics)?.0
  }

  static func readRL(_ fields: ConfigMapping, _ diagnostics: inout ConfigDiagnostics) -> Work? {
    if derivedWorkKey(
      ["tokens", "gpu_hours", "hours", "seq_len", "global_batch", "mfu"], fields,
      derived: "an rl phase's work is its steps, prompts, samples and generated lengths",
      &diagnostics)
    {
      return nil
    }
    let model = readPolicy(fields, &diagnostics)
    let steps = fields.required("steps", &diagnostics)?
      .positiveNumber(atMost: .steps, &diagnostics)
    func count(_ key: String) -> Int? {
      fields.required(key, &diagnostics)?.integer(in: 1...100_000_000, &diagnostics)
    }
    let prompts = count("prompts_per_step")
    let samples = count("samples_per_prompt")
    let minibatches = count("minibatches_per_rollout")
    let promptTokens = fields.required("prompt_tokens", &diagnostics).flatMap {
      tokens($0, &diagnostics)
    }
    let lengths = fields.required("generated_tokens", &diagnostics).flatMap {
      readLengths(schedules: true, $0, &diagnostics)
    }
    let reference = fields["reference"].map { bool($0, &diagnostics) } ?? true
    let rewardSteps =
      fields["reward_model_steps"].map { $0.nonNegativeNumber(atMost: .steps, &diagnostics) }
      ?? 0
    let inference = fields.required("inference", &diagnostics).flatMap {
      readInference($0, &diagnostics)
    }
    let layout = readParallelism(fields["parallelism"], &diagnostics)
    guard let model, let steps, let prompts, let samples, let minibatches, let promptTokens,
      let lengths, let reference, let rewardSteps, let inference, let layout
    else { return nil }
    let perRollout = Double(prompts) * Double(samples) * Double(minibatches)
    if perRollout > 1e9, let at = fields["prompts_per_step"] {
      diagnostics.report(
        at,
        "prompts_per_step × samples_per_prompt × minibatches_per_rollout = "
          + "\(ConfigValue.format(perRollout)) samples per rollout; at most 1e9")
      return nil
    }
    // Every rollout keeps a decode table of one entry per 128 generated tokens.
    let entries = (steps / Double(minibatches)).rounded(.up) * (lengths.max.maximum / 128).rounded(.up)
    if entries > 2e7, let at = fields["steps"] {
      diagnostics.report(
        at,
        "\(ConfigValue.format((steps / Double(minibatches)).rounded(.up))) rollouts of up to "
          + "\(ConfigValue.format(lengths.max.maximum)) tokens are too many to tabulate (at most "
          + "2e7 rollouts × maximum length / 128); use more minibatches_per_rollout or fewer steps")
      return nil
    }
    if let given = fields["outputs_per_rollout"] {
      guard let outputs = given.integer(in: 1...1_000_000_000, &diagnostics) else { return nil }
      if outputs != prompts * samples * minibatches {
        diagnostics.report(
          given,
          "\(outputs) outputs per rollout, but prompts_per_step × samples_per_prompt × "
            + "minibatches_per_rollout = \(prompts) × \(samples) × \(minibatches) = "
            + "\(prompts * samples * minibatches)")
        return nil
      }
    }
    if rewardSteps > steps, let at = fields["reward_model_steps"] {
      diagnostics.report(
        at, "must be at most the \(ConfigValue.format(steps)) steps, got \(ConfigValue.format(rewardSteps))")
      return nil
    }
    return .rl(
      RLSpec(
        model: model, steps: steps, promptsPerStep: prompts, samplesPerPrompt: samples,
        minibatchesPerRollout: minibatches, promptTokens: promptTokens,
        meanLength: lengths.mean, lengthCV: lengths.cv, maxLength: lengths.max,
        reference: reference, rewardModelSteps: rewardSteps, inference: inference, layout: layout))
  }

  static func readGenerate(_ fields: ConfigMapping, _ diagnostics: inout ConfigDiagnostics)
    -> Work?
  {
    if derivedWorkKey(
      ["tokens", "gpu_hours", "hours", "steps", "seq_len", "global_batch", "mfu", "parallelism"],
      fields, derived: "a generate phase's work is its samples and generated lengths",
      &diagnostics)
    {
      return nil
    }
    let model = readPolicy(fields, &diagnostics)
    let samples = fields.required("samples", &diagnostics)?
      .positiveNumber(atMost: .samples, &diagnostics)
    let kept = fields["kept_fraction"].map { $0.fraction(&diagnostics) } ?? 1
    let promptTokens = fields.required("prompt_tokens", &diagnostics).flatMap {
      tokens($0, &diagnostics)
    }
    let lengths = fields.required("generated_tokens", &diagnostics).flatMap {
      readLengths(schedules: false, $0, &diagnostics)
    }
    let inference = fields.required("inference", &diagnostics).flatMap {
      readInference($0, &diagnostics)
    }
    guard let model, let samples, let kept, let promptTokens, let lengths, let inference else {
      return nil
    }
    return .generate(
      GenerateSpec(
        model: model, samples: samples, keptFraction: kept, promptTokens: promptTokens,
        meanTokens: lengths.mean.maximum, lengthCV: lengths.cv, maxTokens: lengths.max.maximum,
        inference: inference))
  }

  /// `kind: sft`: `samples` of `mean_tokens` for `epochs`, packed into `global_batch` sequences
  /// of `seq_len` tokens per step.
  static func readSFT(_ fields: ConfigMapping, _ diagnostics: inout ConfigDiagnostics) -> Work? {
    if derivedWorkKey(
      ["tokens", "steps", "gpu_hours", "hours"], fields,
      derived: "an sft phase's work is its samples, mean_tokens and epochs", &diagnostics)
    {
      return nil
    }
    guard fields.has("model") else {
      diagnostics.report(fields.value, "missing required key \"model\"")
      return nil
    }
    let samples = fields.required("samples", &diagnostics)?
      .positiveNumber(atMost: .samples, &diagnostics)
    let mean = fields.required("mean_tokens", &diagnostics)?
      .positiveNumber(atMost: .sequenceTokens, &diagnostics)
    let epochs = fields["epochs"].map { $0.positiveNumber(atMost: .epochs, &diagnostics) } ?? 1
    guard var spec = readTrainingShape(fields, &diagnostics), let samples, let mean, let epochs
    else { return nil }
    spec.steps = samples * mean * epochs / (Double(spec.globalBatch) * Double(spec.seqLen))
    return .training(spec)
  }

  /// `generated_tokens: {mean, cv, max}`: mean and max a number or, in an rl phase, a schedule
  /// of [step, value] points.
  static func readLengths(
    schedules: Bool, _ value: ConfigValue, _ diagnostics: inout ConfigDiagnostics
  ) -> (mean: StepSchedule, cv: Double, max: StepSchedule)? {
    guard let fields = ConfigMapping(value, allowedKeys: lengthKeys, diagnostics: &diagnostics)
    else { return nil }
    let mean = fields.required("mean", &diagnostics).flatMap {
      readSchedule($0, shape: .linear, allowed: schedules, &diagnostics)
    }
    let cv = fields.required("cv", &diagnostics)?.positiveNumber(atMost: .lengthCV, &diagnostics)
    let max = fields.required("max", &diagnostics).flatMap {
      readSchedule($0, shape: .stepwise, allowed: schedules, &diagnostics)
    }
    guard let mean, let cv, let max else { return nil }
    if !schedules, mean.maximum >= max.maximum, let at = fields["mean"] {
      diagnostics.report(
        at,
        "the mean length \(ConfigValue.format(mean.maximum)) must be below the maximum "
          + ConfigValue.format(max.maximum))
      return nil
    }
    return (mean, cv, max)
  }

  /// A token count: positive, at most `ConfigBound.sequenceTokens`.
  static func tokens(_ value: ConfigValue, _ diagnostics: inout ConfigDiagnostics) -> Double? {
    value.positiveNumber(atMost: .sequenceTokens, &diagnostics)
  }

  /// A number, or a list of [step, value] pairs with steps in order.
  static func readSchedule(
    _ value: ConfigValue, shape: StepSchedule.Shape, allowed: Bool,
    _ diagnostics: inout ConfigDiagnostics
  ) -> StepSchedule? {
    if case .scalar = value.node {
      return tokens(value, &diagnostics).map(StepSchedule.constant)
    }
    guard allowed else {
      diagnostics.report(value, "expected a number of tokens, got \(value.shown)")
      return nil
    }
    guard let items = value.list(&diagnostics), !items.isEmpty else {
      if case .sequence = value.node { diagnostics.report(value, "give at least one [step, tokens] point") }
      return nil
    }
    var points: [(step: Double, value: Double)] = []
    for item in items {
      guard let pair = item.list(&diagnostics) else { return nil }
      guard pair.count == 2 else {
        diagnostics.report(item, "expected [step, tokens], got \(pair.count) values")
        return nil
      }
      guard let step = pair[0].nonNegativeNumber(atMost: .steps, &diagnostics),
        let count = tokens(pair[1], &diagnostics)
      else { return nil }
      if let last = points.last, step < last.step {
        diagnostics.report(
          pair[0],
          "steps must not decrease: \(ConfigValue.format(step)) after "
            + ConfigValue.format(last.step))
        return nil
      }
      points.append((step, count))
    }
    return StepSchedule(points: points, shape: shape)
  }

  /// `inference: {tp, ep, overlap, mtp_acceptance, memory_fraction}`.
  static func readInference(_ value: ConfigValue, _ diagnostics: inout ConfigDiagnostics)
    -> InferenceLayout?
  {
    guard let fields = ConfigMapping(value, allowedKeys: inferenceKeys, diagnostics: &diagnostics)
    else { return nil }
    let tp = fields["tp"].map { $0.integer(in: 1...1_000_000, &diagnostics) } ?? 1
    let ep = fields["ep"].map { $0.integer(in: 1...1_000_000, &diagnostics) } ?? 1
    let overlap = fields["overlap"].map { bool($0, &diagnostics) } ?? false
    func fraction(_ key: String) -> Double?? {
      guard let given = fields[key] else { return .some(nil) }
      guard let number = given.fraction(&diagnostics) else { return nil }
      return .some(number)
    }
    guard let tp, let ep, let overlap, let acceptance = fraction("mtp_acceptance"),
      let memory = fraction("memory_fraction")
    else { return nil }
    return InferenceLayout(
      tensor: tp, expert: ep, overlap: overlap, mtpAcceptance: acceptance,
      memoryFraction: memory ?? 0.9)
  }
}
