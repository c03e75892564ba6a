import Foundation

/// What `clustersim explain` shows for one phase: its step-time estimate when the phase is
/// described by its model, layout and data; nothing more for work given as GPU-hours, hours or
/// tokens at an MFU.
public struct PhaseExplanation: Sendable {
  public var phase: Phase
  public var pool: Pool
  /// The phase planned on this pool.
  public var plan: PhasePlan

  /// The training job and its step, for phases given as model + data.
  public var training: (job: TrainingJob, estimate: StepEstimate)? {
    plan.training.map { ($0.job, $0.estimate) }
  }

  /// Hours the phase runs on this pool with nothing interrupting it.
  public var hours: Double { plan.workHours }
}

/// Renders the step-time breakdown of a program's phases as a table or JSON.
public struct ExplainReport: Sendable {
  public enum Format: String, CaseIterable, Sendable {
    case table, json
  }

  /// The JSON schema identifier; keys may be added under it, never renamed.
  public static let schema = "clustersim.explain/1"

  public let source: String
  public let phases: [PhaseExplanation]

  /// Plans `program` and explains its phases, or only the one named `phase`.
  ///
  /// - Throws: `PlanError` when a phase cannot be planned, `ConfigError` for an unknown phase.
  public init(_ program: Program, phase: String? = nil) throws {
    try self.init(try Planner(program).plan(), phase: phase)
  }

  /// Explains the phases of a planned program, or only the one named `phase`.
  ///
  /// - Throws: `ConfigError` naming the phases when `phase` matches none.
  public init(_ plan: ProgramPlan, phase: String? = nil) throws(ConfigError) {
    let program = plan.program
    source = program.source
    var selected = program.phases
    if let phase {
      selected = program.phases.filter { $0.name == phase }
      if selected.isEmpty {
        let names = program.phases.map(\.name)
        throw ConfigError(issues: [
          ConfigIssue(
            file: program.source, line: 1, column: 1, keyPath: "phases",
            message: "no phase named \"\(phase)\"\(Suggestion.didYouMean(phase, in: names)) "
              + "(phases: \(names.joined(separator: ", ")))")
        ])
      }
    }
    // One explanation per allowed pool: the step differs from chip to chip.
    let chosen = Set(selected.map(\.name))
    phases = program.phases.indices.filter { chosen.contains(program.phases[$0].name) }
      .flatMap { index in
        plan.phases[index].map { planned in
          PhaseExplanation(
            phase: program.phases[index], pool: program.pools[planned.pool], plan: planned)
        }
      }
  }

  public func render(_ format: Format) -> String {
    switch format {
    case .table: table()
    case .json: json().rendered() + "\n"
    }
  }

  /// The model's size and the FLOPs per token the step-time model used: "405.9B parameters
  /// (405.9B active per token), 2,434 GFLOPs per token".
  static func modelLine(_ job: TrainingJob) -> String {
    func billions(_ x: Double) -> String { TextTable.grouped(x / 1e9, decimals: 1) + "B" }
    let total = job.model.totalParams
    let active = job.model.activeParams
    let flops = TextTable.grouped(job.modelFLOPsPerToken / 1e9, decimals: 1)
    let given = job.flopsPerTokenOverride != nil ? " (as given)" : ""
    return "\(billions(total)) parameters (\(billions(active)) active per token), "
      + "\(flops) GFLOPs per token\(given) for training (forward and backward, no recomputation)"
  }

  static func layoutText(
    _ layout: ParallelLayout, microbatch: Int, sync: GradientSync = GradientSync(),
    overlapTensorParallel: Bool = false
  ) -> String {
    var parts = [
      "tp \(layout.tensor)", "pp \(layout.pipeline)", "cp \(layout.context)",
      "dp \(layout.data)",
    ]
    if layout.expert > 1 { parts.append("ep \(layout.expert)") }
    if let etp = layout.expertTensor { parts.append("etp \(etp)") }
    parts.append("schedule \(layout.schedule.rawValue)")
    if layout.schedule == .interleaved { parts.append("v \(layout.virtualStages)") }
    parts += [
      "zero \(layout.zero)", "recompute \(layout.recompute.name)",
      "microbatch \(microbatch)" + (layout.microbatch == nil ? " (fastest that fits)" : ""),
    ]
    if layout.sequenceParallel { parts.append("sequence parallel") }
    if let sync = sync.summary { parts.append(sync) }
    if overlapTensorParallel { parts.append("tp comm overlapped") }
    return parts.joined(separator: ", ")
  }

  /// One block per phase: the layout, then seconds per step by cause, then throughput and
  /// memory.
  public func table() -> String {
    phases.map(Self.block).joined(separator: "\n")
  }

  /// One phase's block of the table, ending with a newline.
  static func block(_ explanation: PhaseExplanation) -> String {
    let phase = explanation.phase
    let pool = explanation.pool
    let gpus = TextTable.grouped(Double(phase.gpus), decimals: 0)
    var text = "phase \(phase.name): \(gpus) × \(pool.chip.name) (pool \(pool.name))\n"
    text += Self.rlTable(explanation)
    if explanation.generation != nil {
      return text + Self.generateTable(explanation)
    }
    guard let (job, estimate) = explanation.training else {
      text +=
        "  work given as \(Self.workKind(phase.work)): no step-time model; "
        + "\(Self.duration(explanation.hours))\n"
      return text
    }
    let b = estimate.breakdown
    let layoutLine = Self.layoutText(
      job.layout, microbatch: estimate.microbatch, sync: job.gradientSync,
      overlapTensorParallel: job.overlapTensorParallel)
    text += "  layout: \(layoutLine)\n"
    let outside = CalibratedRegion.builtIn.outside(
      job.layout, precision: job.precision, chip: pool.chip.name)
    if !outside.isEmpty {
      text += "  outside calibration: \(outside.joined(separator: ", ")) (an extrapolation)\n"
    }
    text += "  model: \(Self.modelLine(job))\n"
    text +=
      "  step: \(TextTable.grouped(Double(estimate.microbatches), decimals: 0)) "
      + "microbatch\(estimate.microbatches == 1 ? "" : "es") of \(estimate.microbatch) × "
      + "\(TextTable.grouped(Double(job.seqLen), decimals: 0)) tokens per pipeline; "
      + "\(TextTable.grouped(job.steps, decimals: 0)) step\(job.steps.rounded() == 1 ? "" : "s")\n\n"
    func s(_ x: Double) -> String { String(format: "%.3f", x) }
    func share(_ x: Double) -> String { String(format: "%.1f%%", 100 * x / b.totalSeconds) }
    var cells = Self.stepParts(b).map { [$0.name, s($0.exposed), share($0.exposed), $0.hidden.map(s) ?? "-"] }
    cells.append(["step", s(b.totalSeconds), "100.0%", "-"])
    let table = TextTable(
      header: ["seconds per step", "exposed", "share", "hidden"], rows: cells,
      rightAligned: [1, 2, 3])
    text +=
      table.rendered(ruleBeforeLastRow: true).split(separator: "\n").map { "  " + $0 }
      .joined(separator: "\n") + "\n\n"
    let m = estimate.memory
    func gb(_ x: Double) -> String { String(format: "%.1f", x / 1e9) }
    text +=
      "  throughput: \(String(format: "%.1f", estimate.flopsPerGPU / 1e12)) TFLOPS per GPU, "
      + "MFU \(String(format: "%.1f%%", 100 * estimate.mfu)) of the \(job.precision.name) peak, "
      + "\(TextTable.grouped(estimate.tokensPerSecond, decimals: 0)) tokens/s\n"
    text +=
      "  memory per GPU: \(gb(m.totalBytes)) GB of \(ConfigValue.format(pool.chip.hbmGB))"
      + (job.memoryHeadroomGB > 0
        ? ", \(String(format: "%g", pool.chip.hbmGB - job.memoryHeadroomGB)) after the "
          + "\(ConfigValue.format(job.memoryHeadroomGB)) GB headroom" : "")
      + " (weights \(gb(m.weightsBytes)), gradients \(gb(m.gradientsBytes)), optimizer "
      + "\(gb(m.optimizerBytes)), activations \(gb(m.activationsBytes)))\n"
    text += "  phase: \(Self.duration(explanation.hours)) uninterrupted\n"
    return text
  }

  /// A training step's parts in the order `explain` lists them: seconds exposed, and seconds
  /// hidden under compute for the communications that can overlap it (nil for the rest). The
  /// table and the HTML report's step chart both read this list.
  static func stepParts(_ b: StepBreakdown) -> [(name: String, exposed: Double, hidden: Double?)] {
    [
      ("compute", b.computeSeconds, nil),
      // Hidden seconds only when tensor-parallel overlap hides some (`overlap_tp_comm`).
      (
        "tensor parallel", b.tensorParallel.exposedSeconds,
        b.tensorParallel.hiddenSeconds > 0 ? b.tensorParallel.hiddenSeconds : nil
      ),
      ("context parallel", b.contextParallel.exposedSeconds, b.contextParallel.hiddenSeconds),
      ("pipeline send/recv", b.pipelineSeconds, nil),
      ("expert all-to-all", b.expertParallel.exposedSeconds, b.expertParallel.hiddenSeconds),
      ("data parallel", b.dataParallel.exposedSeconds, b.dataParallel.hiddenSeconds),
      ("pipeline bubble", b.bubbleSeconds, nil),
      ("optimizer", b.optimizerSeconds, nil),
    ]
  }

  static func workKind(_ work: Work) -> String {
    switch work {
    case .gpuHours: "gpu_hours"
    case .hours: "hours"
    case .tokens: "tokens at an mfu"
    case .training: "model + data"
    case .rl: "rl"
    case .generate: "generate"
    }
  }

  /// The `clustersim.explain/1` document (docs/output.md).
  public func json() -> JSONValue {
    let items = phases.map { explanation -> JSONValue in
      let phase = explanation.phase
      var fields: [(String, JSONValue)] = [
        ("name", .string(phase.name)), ("pool", .string(explanation.pool.name)),
        ("chip", .string(explanation.pool.chip.name)), ("gpus", .integer(Int64(phase.gpus))),
        ("work", .string(Self.workKind(phase.work))), ("hours", .number(explanation.hours)),
      ]
      if let (job, estimate) = explanation.training {
        let b = estimate.breakdown
        let l = job.layout
        func overlapped(_ o: Overlapped) -> JSONValue {
          .object([("exposed", .number(o.exposedSeconds)), ("hidden", .number(o.hiddenSeconds))])
        }
        fields += [
          (
            "layout",
            .object([
              ("tp", .integer(Int64(l.tensor))), ("pp", .integer(Int64(l.pipeline))),
              ("cp", .integer(Int64(l.context))), ("dp", .integer(Int64(l.data))),
              ("ep", .integer(Int64(l.expert))),
              ("virtual_stages", .integer(Int64(l.virtualStages))),
              ("schedule", .string(l.schedule.rawValue)), ("zero", .integer(Int64(l.zero))),
              ("recompute", .string(l.recompute.name)),
              ("sequence_parallel", .bool(l.sequenceParallel)),
              ("grad_reduce", .string(job.gradientSync.precision.rawValue)),
              ("overlap_grad_reduce", .bool(job.gradientSync.overlapped)),
              ("microbatch", .integer(Int64(estimate.microbatch))),
              ("microbatch_chosen", .bool(l.microbatch == nil)),
              ("microbatches", .integer(Int64(estimate.microbatches))),
            ])
          ),
          (
            "outside_calibration",
            .array(
              CalibratedRegion.builtIn.outside(
                l, precision: job.precision, chip: explanation.pool.chip.name
              ).map(JSONValue.string))
          ),
          ("parameters", .number(job.model.totalParams)),
          ("active_parameters", .number(job.model.activeParams)),
          ("model_flops_per_token", .number(job.modelFLOPsPerToken)),
          ("model_flops_per_token_given", .bool(job.flopsPerTokenOverride != nil)),
          // Whole steps, as the table gives them (the hours come from the exact token count).
          ("steps", .integer(Int64(Int(saturating: job.steps.rounded())))),
          (
            "step_seconds",
            .object([
              ("total", .number(b.totalSeconds)), ("compute", .number(b.computeSeconds)),
              ("tensor_parallel", .number(b.tensorParallelSeconds)),
              ("context_parallel", overlapped(b.contextParallel)),
              ("pipeline_send", .number(b.pipelineSeconds)),
              ("expert_parallel", overlapped(b.expertParallel)),
              ("data_parallel", overlapped(b.dataParallel)),
              ("bubble", .number(b.bubbleSeconds)), ("optimizer", .number(b.optimizerSeconds)),
            ])
          ),
          ("tflops_per_gpu", .number(estimate.flopsPerGPU / 1e12)),
          ("mfu", .number(estimate.mfu)),
          ("tokens_per_second", .number(estimate.tokensPerSecond)),
          (
            "memory_gb",
            .object([
              ("total", .number(estimate.memory.totalBytes / 1e9)),
              ("weights", .number(estimate.memory.weightsBytes / 1e9)),
              ("gradients", .number(estimate.memory.gradientsBytes / 1e9)),
              ("optimizer", .number(estimate.memory.optimizerBytes / 1e9)),
              ("activations", .number(estimate.memory.activationsBytes / 1e9)),
              ("capacity", .number(explanation.pool.chip.hbmGB)),
            ]
              + (job.memoryHeadroomGB > 0 ? [("headroom", .number(job.memoryHeadroomGB))] : []))
          ),
        ]
      }
      fields += Self.rlJSON(explanation)
      return .object(fields)
    }
    return .object([
      ("schema", .string(Self.schema)), ("config", .string(source)), ("phases", .array(items)),
    ])
  }
}
