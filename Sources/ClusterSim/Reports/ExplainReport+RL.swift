import Foundation

/// What `clustersim explain` shows of an RL phase: seconds per step by part (rollout prefill and
/// decode, scoring, update, hand-over) and where the decode time goes; of a generate phase, its
/// engines, concurrency and step.
extension PhaseExplanation {
  /// An RL phase's rollouts, with the spec they came from.
  var rl: (spec: RLSpec, plan: RolloutPlan)? {
    guard case .rl(let spec) = phase.work, let plan = plan.rollouts else { return nil }
    return (spec, plan)
  }

  /// Where the decode time goes across the phase, each rollout's longest sample at its median.
  func decodeParts(_ spec: RLSpec, _ plan: RolloutPlan) -> DecodeParts {
    let planner = RolloutPlanner(
      spec: spec, precision: phase.precision, pool: pool, gpus: self.plan.gpus)
    var total = DecodeParts()
    for rollout in plan.rollouts {
      let longest = rollout.lengths.longest(of: rollout.samples, u: 0.5)
      total += planner.decodeParts(rollout, engines: plan.engines, longest: longest)
    }
    return total
  }

  /// A generate phase's plan.
  var generation: (spec: GenerateSpec, result: GenerationPlan)? {
    guard case .generate(let spec) = phase.work, let result = plan.generation else { return nil }
    return (spec, result)
  }
}

extension ExplainReport {
  static func inferenceText(_ layout: InferenceLayout) -> String {
    var parts = ["tp \(layout.tensor)", "ep \(layout.expert)"]
    if layout.overlap { parts.append("dual micro-batch overlap") }
    if let acceptance = layout.mtpAcceptance {
      parts.append("MTP acceptance \(ConfigValue.format(acceptance))")
    }
    return parts.joined(separator: ", ")
  }

  /// The RL block of the table: per-step seconds by part, then the decode's causes.
  static func rlTable(_ explanation: PhaseExplanation) -> String {
    guard let (spec, plan) = explanation.rl else { return "" }
    func g(_ x: Double, _ decimals: Int = 0) -> String { TextTable.grouped(x, decimals: decimals) }
    func s(_ x: Double) -> String { String(format: "%.1f", x) }
    var text =
      "  rl: \(g(spec.steps)) policy updates in \(g(Double(plan.rollouts.count))) rollouts of "
      + "\(g(Double(spec.outputsPerRollout))) samples (\(spec.promptsPerStep) prompts × "
      + "\(spec.samplesPerPrompt) samples per update)\n"
    text +=
      "  rollout engines: \(plan.engines) of \(spec.inference.engineGPUs) GPUs "
      + "(\(inferenceText(spec.inference)))\n\n"
    let parts = plan.expected / spec.steps
    let total = parts.totalSeconds
    func share(_ x: Double) -> String { String(format: "%.1f%%", 100 * x / total) }
    let rows: [(String, Double)] = [
      ("rollout prefill", parts.prefillSeconds), ("rollout decode", parts.decodeSeconds),
      ("scoring (reference, reward)", parts.scoringSeconds),
      ("policy update", parts.updateSeconds), ("weight hand-over", parts.handOverSeconds),
    ]
    var cells = rows.map { [$0.0, s($0.1), share($0.1)] }
    cells.append(["step", s(total), "100.0%"])
    let table = TextTable(
      header: ["seconds per update (mean)", "seconds", "share"], rows: cells,
      rightAligned: [1, 2])
    text +=
      table.rendered(ruleBeforeLastRow: true).split(separator: "\n").map { "  " + $0 }
      .joined(separator: "\n") + "\n\n"
    let decode = explanation.decodeParts(spec, plan)
    let d = decode.totalSeconds
    func pct(_ x: Double) -> String { String(format: "%.0f%%", 100 * x / d) }
    text +=
      "  decode (longest sample at its median): weights and matrices \(pct(decode.matrixSeconds)), "
      + "attention and KV cache \(pct(decode.attentionSeconds)), tensor parallel "
      + "\(pct(decode.tensorParallelSeconds)), expert all-to-all exposed "
      + "\(pct(decode.expertParallelSeconds)), per-step overhead \(pct(decode.overheadSeconds)); "
      + "\(g(decode.sequenceSteps / max(1, decode.steps), 1)) sequences per engine per step on "
      + "average\n"
    let lengths = plan.rollouts.map(\.lengths)
    let meanTokens = zip(plan.rollouts, lengths).reduce(0) { $0 + $1.0.samples * $1.1.meanTokens }
      / plan.rollouts.reduce(0) { $0 + $1.samples }
    let longest = plan.rollouts.map { $0.lengths.longest(of: $0.samples, u: 0.5) }
    let waves = plan.rollouts.map(\.waves).max() ?? 1
    text +=
      "  generated: \(g(meanTokens)) tokens per sample on average; the longest sample of a "
      + "rollout (median) \(Self.range(g(longest.min() ?? 0), g(longest.max() ?? 0))) tokens"
      + (waves > 1 ? "; the KV cache holds a rollout only in \(waves) waves" : "") + "\n"
    text += "  policy update (one step, at the longest mean length):\n"
    return text
  }

  /// The generate block of the table.
  static func generateTable(_ explanation: PhaseExplanation) -> String {
    guard let (spec, result) = explanation.generation else { return "" }
    func g(_ x: Double, _ decimals: Int = 0) -> String { TextTable.grouped(x, decimals: decimals) }
    let engines = explanation.plan.gpus / spec.inference.engineGPUs
    let step = result.step
    return
      "  generate: \(g(spec.generated)) samples (\(g(spec.samples)) kept) of "
      + "\(g(spec.meanTokens)) tokens on average, on \(engines) engines of "
      + "\(spec.inference.engineGPUs) GPUs (\(inferenceText(spec.inference)))\n"
      + "  decode: \(g(result.concurrency)) sequences per engine, \(String(format: "%.1f", step.stepSeconds * 1e3)) ms "
      + "per step, \(g(step.tokensPerSecond / Double(spec.inference.engineGPUs))) tokens/s per GPU\n"
      + "  prefill \(g(result.prefillSeconds / 3600, 1)) h, decode \(g(result.decodeSeconds / 3600, 1)) h; "
      + "phase: \(Self.duration(explanation.hours)) uninterrupted\n"
  }

  /// The RL fields of the JSON document.
  static func rlJSON(_ explanation: PhaseExplanation) -> [(String, JSONValue)] {
    if let (spec, result) = explanation.generation {
      return [
        (
          "generate",
          .object([
            ("samples_generated", .number(spec.generated)),
            ("concurrency_per_engine", .number(result.concurrency)),
            ("decode_step_seconds", .number(result.step.stepSeconds)),
            ("prefill_hours", .number(result.prefillSeconds / 3600)),
            ("decode_hours", .number(result.decodeSeconds / 3600)),
          ])
        )
      ]
    }
    guard let (spec, plan) = explanation.rl else { return [] }
    let parts = plan.expected / spec.steps
    let decode = explanation.decodeParts(spec, plan)
    return [
      (
        "rl",
        .object([
          ("rollouts", .integer(Int64(plan.rollouts.count))),
          ("engines", .integer(Int64(plan.engines))),
          ("engine_gpus", .integer(Int64(spec.inference.engineGPUs))),
          (
            "seconds_per_update",
            .object([
              ("total", .number(parts.totalSeconds)),
              ("prefill", .number(parts.prefillSeconds)),
              ("decode", .number(parts.decodeSeconds)),
              ("scoring", .number(parts.scoringSeconds)),
              ("update", .number(parts.updateSeconds)),
              ("hand_over", .number(parts.handOverSeconds)),
            ])
          ),
          (
            "decode_share",
            .object([
              ("matrices", .number(decode.matrixSeconds / decode.totalSeconds)),
              ("attention", .number(decode.attentionSeconds / decode.totalSeconds)),
              ("tensor_parallel", .number(decode.tensorParallelSeconds / decode.totalSeconds)),
              ("expert_parallel", .number(decode.expertParallelSeconds / decode.totalSeconds)),
              ("overhead", .number(decode.overheadSeconds / decode.totalSeconds)),
            ])
          ),
        ])
      )
    ]
  }
}

extension ExplainReport {
  /// Hours to a tenth (`1,314.9 hours`), or, for a positive time that would read `0.0 hours`,
  /// minutes or seconds (`2.6 min`).
  static func duration(_ hours: Double) -> String {
    hours > 0 && hours < 0.05
      ? TextTable.hours(hours) : TextTable.grouped(hours, decimals: 1) + " hours"
  }

  /// "a to b", or one figure when the two read the same ("16,384", not "16,384 to 16,384").
  static func range(_ low: String, _ high: String) -> String {
    low == high ? low : "\(low) to \(high)"
  }
}
