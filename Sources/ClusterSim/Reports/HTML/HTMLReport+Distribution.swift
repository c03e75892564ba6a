import Foundation

/// The spread over replications, and the Gantt of one of them.
extension HTMLReport {
  func distribution() -> Markup {
    let wall = result.total.wallClockHours
    let cost = result.total.costUSD
    // The axis's unit follows the spread, not the size: 265.6 h ± 0.1 reads 265.5–265.7 h, not
    // 11.06–11.07 days; days once the replications span two days or more.
    let inDays = wall.max - wall.min >= 48
    let scale = inDays ? 1.0 / 24 : 1
    func markers(_ stat: Statistic, _ scale: Double) -> [(name: String, value: Double)] {
      [("p10", stat.p10 * scale), ("p50", stat.p50 * scale), ("p90", stat.p90 * scale),
       ("mean", stat.mean * scale)]
    }
    let wallChart = HistogramChart(
      values: result.totals.map { $0.wallClockHours * scale }, markers: markers(wall, scale),
      axisTitle: inDays ? "wall-clock days" : "wall-clock hours",
      format: { TextTable.grouped($0, decimals: 2) + (inDays ? " days" : " h") }, unit: .none)
    let costChart = HistogramChart(
      values: result.totals.map(\.costUSD), markers: markers(cost, 1), axisTitle: "cost (USD)",
      format: { TextTable.dollars($0) }, unit: .dollars, color: "#59a14f")
    let none = "The run kept no per-replication totals."
    let rows: [[String]] = [
      ["wall-clock", Self.duration(wall.p10), Self.duration(wall.p50), Self.duration(wall.p90),
       Self.duration(wall.mean), TextTable.hours(wall.standardDeviation)],
      ["cost"] + [cost.p10, cost.p50, cost.p90, cost.mean, cost.standardDeviation].map(TextTable.dollars),
    ]
    return Self.section(
      "distribution", "Spread over replications",
      lead: "Each replication draws its own failures, repairs and rollout lengths; these are the "
        + "\(TextTable.grouped(Double(result.replications), decimals: 0)) outcomes.",
      [
        Tags.element("div", ["class": "pair"], [
          Self.figure(wallChart.markup(label: "wall-clock histogram"), caption: "Wall-clock time", empty: none),
          Self.figure(costChart.markup(label: "cost histogram"), caption: "Cost", empty: none),
        ]),
        Self.table(["figure", "p10", "p50", "p90", "mean", "standard deviation"], rows),
      ])
  }

  func ganttSection() -> Markup {
    let chart = GanttReport(traced, options: gantt).markup(standalone: false, id: "gantt-chart")
    let controls = Tags.element("div", ["class": "zoom", "data-for": "gantt-chart"], [
      Tags.element("button", ["type": "button", "data-zoom": "in"], [Tags.text("zoom in")]),
      Tags.element("button", ["type": "button", "data-zoom": "out"], [Tags.text("zoom out")]),
      Tags.element("button", ["type": "button", "data-zoom": "reset"], [Tags.text("whole run")]),
      Tags.element("span", ["class": "zoom-state"], [Tags.text("")]),
    ])
    return Self.section(
      "gantt", "One replication",
      lead: "Replication \(traced.replication): "
        + "\(Self.duration(traced.outcome.wallClockHours)), \(TextTable.dollars(traced.outcome.costUSD)). "
        + "Checkpoints too short to draw show as the teal strip under each bar.",
      [
        // How to use the chart: on screen only, not in print.
        Tags.element("p", ["class": "lead screen-only"], [Tags.text(
          "Drag across the chart or use the buttons to zoom (Ctrl and the wheel zoom too); hover "
            + "a shape for its details.")]),
        controls, Tags.element("div", ["class": "gantt-frame"], [chart]),
      ])
  }
}
