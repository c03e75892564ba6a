import Foundation

/// Failures and checkpoints, and each phase's step explained.
extension HTMLReport {
  func failures() -> Markup {
    let kinds: [(String, String, PhaseMetric)] = [
      ("checkpoint writes", "#f28e2b", .checkpointHours), ("lost work", "#edc948", .lostWorkHours),
      ("restarts", "#e15759", .restartHours), ("waiting for repair", "#b07aa1", .waitForRepairHours),
      ("maintenance", "#9c755f", .maintenanceHours),
    ]
    let chart = StackedBars(
      series: kinds.map { StackedBars.Series(name: $0.0, color: $0.1) },
      bars: result.phases.indices.map { index in
        let summary = result.phases[index]
        let values = kinds.map { summary[$0.2].mean }
        return StackedBars.Bar(
          label: program.phases[index].name, values: values,
          note: TextTable.hours(values.reduce(0, +)))
      },
      format: { TextTable.grouped($0, decimals: $0 < 10 ? 1 : 0) + " h" }, unit: .suffix(" h"))
    let phaseRows = report.phaseRows
    let rows = result.phases.indices.map { index -> [String] in
      let summary = result.phases[index]
      let interval = phaseRows[index].interval.map {
        TextTable.grouped($0, decimals: 2) + (phaseRows[index].intervalIsAuto ? " (auto)" : "")
      }
      // Nothing could interrupt a phase on pools without a failure model: say so, not "0".
      let unmodelled = result.unmodelled(phase: index)
      func failed(_ value: Double, decimals: Int = 1) -> String {
        unmodelled ? "-" : TextTable.grouped(value, decimals: decimals)
      }
      return [
        program.phases[index].name,
        unmodelled ? "not modelled" : TextTable.grouped(summary.interruptions.mean, decimals: 1),
        failed(summary.interruptions.p90, decimals: 0),
        failed(summary.plannedInterruptions.mean),
        interval ?? "none",
        TextTable.grouped(summary.checkpointHours.mean, decimals: 1),
        failed(summary.lostWorkHours.mean),
        failed(summary.restartHours.mean),
        failed(summary.waitForRepairHours.mean),
        String(format: "%.1f%%", 100 * summary.goodput.mean),
      ]
    }
    let lead =
      result.hasFailures
      ? "Mean hours per phase that did not go to useful work: checkpoint writes, work lost since "
        + "the last checkpoint, restarts, waits for repaired nodes and maintenance."
      : "No pool of this config can fail or be maintained: only checkpoint writes cost time."
    let drawn = chart.markup(label: "hours lost by kind and phase")
    return Self.section(
      "failures", "Failures and checkpoints", lead: lead, charted: drawn != nil,
      [
        Self.figure(
          drawn,
          caption: "Hours not spent on useful work, stacked by kind (means).",
          empty: "No phase wrote checkpoints or lost time."),
        Self.table(
          ["phase", "interruptions", "p90", "planned", "checkpoint every h", "checkpoint h",
           "lost work h", "restart h", "repair wait h", "goodput"], rows),
      ] + (result.unmodelledNote.map { [Tags.element("p", ["class": "note"], [Tags.text($0)])] } ?? []))
  }

  func steps() -> Markup {
    var blocks: [Markup] = []
    var charts = 0
    for explanation in explain.phases {
      var content: [Markup] = [
        Tags.element("h3", [:], [Tags.text(
          "\(explanation.phase.name) on \(TextTable.grouped(Double(explanation.phase.gpus), decimals: 0)) "
            + "× \(explanation.pool.chip.name) (pool \(explanation.pool.name))")])
      ]
      for chart in [Self.stepChart(explanation), Self.memoryChart(explanation)].compactMap({ $0 }) {
        content.append(Tags.element("figure", [:], [chart]))
        charts += 1
      }
      content.append(Tags.element("details", [:], [
        Tags.element("summary", [:], [Tags.text("explain's figures for \(explanation.phase.name)")]),
        Tags.element("pre", ["class": "explain"], [Tags.text(ExplainReport.block(explanation))]),
      ]))
      blocks.append(Tags.element("div", ["class": "phase-step"], content))
    }
    return Self.section(
      "steps", "Steps explained",
      lead: "Seconds per step by part for each phase on each pool it may run on, as "
        + "`clustersim explain` gives them: compute, communication exposed and hidden under "
        + "compute, pipeline bubble; and memory per GPU against the chip's HBM."
        + (charts == 0 ? " No phase here has a step model to chart (each gives its step time)." : ""),
      charted: charts > 0, blocks)
  }

  /// A phase's step: training parts (exposed, then hidden communication), or an RL update's parts.
  static func stepChart(_ explanation: PhaseExplanation) -> Markup? {
    let seconds: @Sendable (Double) -> String = { x in
      String(format: x < 10 ? "%.2f s" : "%.0f s", x)
    }
    if let (spec, plan) = explanation.rl {
      let parts = plan.expected / spec.steps
      let bars = StackedBars(
        series: [
          .init(name: "rollout prefill", color: "#76b7b2"), .init(name: "rollout decode", color: "#4e79a7"),
          .init(name: "scoring", color: "#59a14f"), .init(name: "policy update", color: "#f28e2b"),
          .init(name: "weight hand-over", color: "#e15759"),
        ],
        bars: [
          .init(
            label: "one policy update",
            values: [parts.prefillSeconds, parts.decodeSeconds, parts.scoringSeconds,
                     parts.updateSeconds, parts.handOverSeconds],
            note: seconds(parts.totalSeconds))
        ], format: seconds, unit: .suffix(" s"))
      return bars.markup(label: "\(explanation.phase.name): seconds per policy update")
    }
    if let (_, generation) = explanation.generation { return generateChart(explanation, generation) }
    guard let (_, estimate) = explanation.training else { return nil }
    let b = estimate.breakdown
    let parts = ExplainReport.stepParts(b)
    let colors: [String: String] = [
      "compute": "#4e79a7", "tensor parallel": "#f28e2b", "context parallel": "#76b7b2",
      "pipeline send/recv": "#59a14f", "expert all-to-all": "#edc948", "data parallel": "#b07aa1",
      "pipeline bubble": "#e15759", "optimizer": "#9c755f",
    ]
    let series = parts.map { StackedBars.Series(name: $0.name, color: colors[$0.name] ?? "#000000") }
    let exposed = parts.map(\.exposed)
    let hidden = parts.map { $0.hidden ?? 0 }
    var bars = [StackedBars.Bar(label: "step (exposed)", values: exposed, note: seconds(b.totalSeconds))]
    if hidden.reduce(0, +) > 0 {
      bars.append(.init(
        label: "hidden under compute", values: hidden, note: seconds(hidden.reduce(0, +))))
    }
    return StackedBars(series: series, bars: bars, format: seconds, unit: .suffix(" s"))
      .markup(label: "\(explanation.phase.name): seconds per step")
  }

  /// A generate phase: one decode step by part (matrix
  /// multiplies, attention and KV reads, tensor-parallel all-reduces, exposed expert exchange,
  /// the fixed per-layer cost), as explain gives them.
  static func generateChart(_ explanation: PhaseExplanation, _ plan: GenerationPlan) -> Markup? {
    let step = plan.step
    let milliseconds: @Sendable (Double) -> String = { x in
      String(format: x < 10 ? "%.2f ms" : "%.0f ms", x)
    }
    let parts: [(String, String, Double)] = [
      ("matrix multiplies", "#4e79a7", step.matrixSeconds),
      ("attention and KV reads", "#76b7b2", step.attentionSeconds),
      ("tensor parallel", "#f28e2b", step.tensorParallelSeconds),
      ("expert all-to-all (exposed)", "#edc948", step.expertParallel.exposedSeconds),
      ("per-layer overhead", "#9c755f", step.overheadSeconds),
    ]
    let decode = StackedBars(
      series: parts.map { StackedBars.Series(name: $0.0, color: $0.1) },
      bars: [
        .init(
          label: "one decode step", values: parts.map { $0.2 * 1e3 },
          note: milliseconds(step.stepSeconds * 1e3))
      ], format: milliseconds, unit: .suffix(" ms"))
    return decode.markup(label: "\(explanation.phase.name): milliseconds per decode step")
  }

  /// Memory per GPU by kind, with the chip's HBM as the scale's end.
  static func memoryChart(_ explanation: PhaseExplanation) -> Markup? {
    guard let (_, estimate) = explanation.training else { return nil }
    let m = estimate.memory
    let capacity = explanation.pool.chip.hbmGB
    let used = [m.weightsBytes, m.gradientsBytes, m.optimizerBytes, m.activationsBytes].map { $0 / 1e9 }
    let free = max(0, capacity - used.reduce(0, +))
    return StackedBars(
      series: [
        .init(name: "weights", color: "#4e79a7"), .init(name: "gradients", color: "#f28e2b"),
        .init(name: "optimizer", color: "#59a14f"), .init(name: "activations", color: "#e15759"),
        .init(name: "free HBM", color: "#e8e8e8"),
      ],
      bars: [.init(
        label: "memory per GPU", values: used + [free],
        note: "\(TextTable.grouped(used.reduce(0, +), decimals: 1)) of \(ConfigValue.format(capacity)) GB")],
      format: { TextTable.grouped($0, decimals: 0) + " GB" }, unit: .suffix(" GB")
    ).markup(label: "\(explanation.phase.name): memory per GPU")
  }
}
