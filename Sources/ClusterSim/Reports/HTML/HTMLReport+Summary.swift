import Foundation

/// The summary and where the money went.
extension HTMLReport {
  static func days(_ hours: Double) -> String { TextTable.grouped(hours / 24, decimals: 1) + " days" }
  /// Days first when a run is two days or longer, hours in brackets; hours alone otherwise.
  static func duration(_ hours: Double) -> String {
    hours >= 48 ? "\(days(hours)) (\(TextTable.hours(hours)))" : TextTable.hours(hours)
  }

  /// A headline figure with its spread.
  static func card(_ name: String, _ value: String, _ spread: String) -> Markup {
    Tags.element("div", ["class": "card"], [
      Tags.element("div", ["class": "card-name"], [Tags.text(name)]),
      Tags.element("div", ["class": "card-value"], [Tags.text(value)]),
      Tags.element("div", ["class": "card-spread"], [Tags.text(spread)]),
    ])
  }

  func summary() -> Markup {
    let total = result.total
    let wall = total.wallClockHours
    let cost = total.costUSD
    let cards = Tags.element("div", ["class": "cards"], [
      Self.card(
        "wall-clock (mean)", Self.duration(wall.mean),
        "p10 \(Self.duration(wall.p10)) · p90 \(Self.duration(wall.p90))"),
      Self.card(
        "cost (mean)", TextTable.dollars(cost.mean),
        "p10 \(TextTable.dollars(cost.p10)) · p90 \(TextTable.dollars(cost.p90))"),
      Self.card(
        "GPU-hours (mean)", TextTable.grouped(total.gpuHours.mean, decimals: 0),
        "p10 \(TextTable.grouped(total.gpuHours.p10, decimals: 0)) · p90 "
          + TextTable.grouped(total.gpuHours.p90, decimals: 0)),
      Self.card(
        "dollars per GPU-hour", total.gpuHours.mean > 0
          ? "$" + TextTable.grouped(cost.mean / total.gpuHours.mean, decimals: 2) : "-",
        "idle pools and every cause included"),
    ])
    let phaseRows = report.phaseRows
    let rows = result.phases.indices.map { index -> [String] in
      let summary = result.phases[index]
      let ran = report.ran(phase: index)
      return [
        program.phases[index].name, ran.pool, ran.chip,
        ResultReport.gpus(phaseRows[index].gpus, held: phaseRows[index].heldGPUs),
        TextTable.grouped(summary.startHours.mean, decimals: 1),
        TextTable.hoursCell(summary.wallClockHours.mean),
        TextTable.grouped(summary.wallClockHours.mean / 24, decimals: 1),
        "\(TextTable.grouped(summary.wallClockHours.p10, decimals: 1))–"
          + TextTable.grouped(summary.wallClockHours.p90, decimals: 1),
        TextTable.grouped(summary.gpuHours.mean, decimals: 0), TextTable.dollars(summary.costUSD.mean),
      ]
    }
    let table = Self.table(
      ["phase", "ran on", "chip", "GPUs", "start h", "wall-clock h", "days", "p10–p90 h",
       "GPU-hours", "cost"], rows, numericFrom: 3)
    // A bar per phase from its mean start to its mean end: the program at a glance.
    let span = max(total.wallClockHours.mean, 1e-9)
    let bars = StackedBars(
      series: [
        StackedBars.Series(name: "waiting to start", color: "#e8e8e8"),
        StackedBars.Series(name: "running (mean)", color: "#4e79a7"),
      ],
      bars: result.phases.indices.map { index in
        let summary = result.phases[index]
        return StackedBars.Bar(
          label: program.phases[index].name,
          values: [summary.startHours.mean, summary.wallClockHours.mean],
          note: Self.duration(summary.wallClockHours.mean))
      },
      format: { TextTable.grouped($0, decimals: $0 < 10 && span < 50 ? 1 : 0) + " h" },
      unit: .suffix(" h"))
    let drawn = bars.markup(label: "phases from start to end")
    return Self.section(
      "summary", "Summary",
      lead: "Means over \(TextTable.grouped(Double(result.replications), decimals: 0)) "
        + "replications, with the 10th and 90th percentiles.",
      charted: drawn != nil,
      [
        cards,
        Self.figure(
          drawn,
          caption: "Each phase from its mean start to its mean end, in hours from the start of the program.",
          empty: "No phase ran."),
        table,
      ] + (phaseRows.contains { $0.gpus != $0.heldGPUs }
        ? [Tags.element("p", ["class": "note"], [Tags.text(ResultReport.heldNote)])] : []))
  }

  func cost() -> Markup {
    let colors: [CostCause: String] = [
      .compute: "#4e79a7", .checkpoint: "#f28e2b", .lostWork: "#edc948", .restart: "#e15759",
      .waitForRepair: "#b07aa1", .maintenance: "#9c755f", .idle: "#bab0ac",
    ]
    let causes = CostCause.allCases
    var bars = result.phases.indices.map { index in
      let summary = result.phases[index]
      return StackedBars.Bar(
        label: program.phases[index].name,
        values: causes.map { $0.isHeld ? summary[.costUSDBy($0)].mean : 0 },
        note: TextTable.dollars(summary.costUSD.mean))
    }
    for (pool, summary) in zip(program.pools, result.pools)
    where pool.cost.billsIdle && summary.idleCostUSD.mean > 0 {
      bars.append(StackedBars.Bar(
        label: "pool \(pool.name) idle", values: causes.map { $0 == .idle ? summary.idleCostUSD.mean : 0 },
        note: TextTable.dollars(summary.idleCostUSD.mean)))
    }
    let chart = StackedBars(
      series: causes.map { StackedBars.Series(name: $0.title, color: colors[$0] ?? "#000000") },
      bars: bars, format: { TextTable.dollars($0) }, unit: .dollars)
    let totals = causes.map { cause in
      (cause, result.total[.costUSDBy(cause)].mean)
    }.filter { $0.1 > 0 }
    let all = max(result.total.costUSD.mean, 1e-12)
    let rows = totals.map { cause, value in
      [cause.title, TextTable.dollars(value), String(format: "%.1f%%", 100 * value / all)]
    } + [["total", TextTable.dollars(result.total.costUSD.mean), "100.0%"]]
    let drawn = chart.markup(label: "cost by cause and phase")
    return Self.section(
      "cost", "Where the money went",
      lead: "Mean dollars per phase by cause: compute, checkpoint writes, work lost to failures, "
        + "restarts, waits for repair, maintenance, and the idle hours of reserved and owned pools.",
      charted: drawn != nil,
      [
        Self.figure(
          drawn,
          caption: "Stacked by cause; hover a segment for its dollars and share.",
          empty: "Nothing was spent."),
        Self.table(["cause", "mean", "share"], rows),
      ])
  }
}
