import Foundation

/// One replication drawn as a Gantt chart in SVG: a row per phase, grouped by pool, with its
/// compute, checkpoint writes, restarts, waits for repair and maintenance in colour, queueing as a
/// dashed line, failures and repairs as marks, a time axis in hours and a legend.
public struct GanttReport: DrawsReplication, Sendable {
  public let traced: TracedReplication

  public init(_ traced: TracedReplication) {
    self.traced = traced
  }

  static let colors: [Timeline.Activity: String] = [
    .compute: "#4e79a7", .checkpoint: "#f28e2b", .restart: "#e15759",
    .waitForRepair: "#b07aa1", .maintenance: "#9c755f",
  ]

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
      .replacingOccurrences(of: "'", with: "&apos;")
  }

  static func number(_ value: Double) -> String { String(format: "%.2f", value) }

  /// A round tick step giving about `target` ticks over `span`: 1, 2 or 5 times a power of ten.
  static func tickStep(span: Double, target: Double = 10) -> Double {
    guard span > 0 else { return 1 }
    let raw = span / target
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    for factor in [1.0, 2, 5, 10] where factor * magnitude >= raw { return factor * magnitude }
    return 10 * magnitude
  }

  public func rendered() -> String {
    let left = 220.0
    let plotWidth = 940.0
    let rowHeight = 22.0
    let top = 50.0
    let span = max(outcome.wallClockHours, 1e-9)
    func x(_ hours: Double) -> Double { left + hours / span * plotWidth }

    var rows: [(label: String, phase: Int?, pool: Int)] = []
    for (pool, definition) in program.pools.enumerated() {
      let phases = program.phases.indices.filter { outcome.phases[$0].poolIndex == pool }
      guard !phases.isEmpty || timeline.marks.contains(where: { $0.pool == pool }) else { continue }
      rows.append(("pool \(definition.name) (\(definition.chip.name))", nil, pool))
      for phase in phases { rows.append((program.phases[phase].name, phase, pool)) }
    }
    let plotHeight = Double(rows.count) * rowHeight
    let height = top + plotHeight + 90
    var svg: [String] = []
    svg.append(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"\(Self.number(height))\" "
        + "viewBox=\"0 0 1200 \(Self.number(height))\" font-family=\"sans-serif\" font-size=\"12\">"
    )
    svg.append("<rect width=\"1200\" height=\"\(Self.number(height))\" fill=\"white\"/>")
    let title =
      "\(program.source): replication \(replication) (seed \(program.simulation.seed)), "
      + "\(TextTable.grouped(outcome.wallClockHours, decimals: 1)) h "
      + "(\(TextTable.grouped(outcome.wallClockHours / 24, decimals: 1)) days), "
      + "$\(TextTable.grouped(outcome.costUSD, decimals: 0))"
    svg.append("<text x=\"10\" y=\"24\" font-size=\"15\">\(Self.escape(title))</text>")

    // Time axis and grid.
    let step = Self.tickStep(span: span)
    var tick = 0.0
    while tick <= span + step * 1e-9 {
      let px = Self.number(x(tick))
      svg.append(
        "<line x1=\"\(px)\" y1=\"\(Self.number(top))\" x2=\"\(px)\" "
          + "y2=\"\(Self.number(top + plotHeight))\" stroke=\"#e0e0e0\"/>")
      svg.append(
        "<text x=\"\(px)\" y=\"\(Self.number(top + plotHeight + 16))\" text-anchor=\"middle\">"
          + "\(ConfigValue.format((tick * 1000).rounded() / 1000))</text>")
      tick += step
    }
    svg.append(
      "<text x=\"\(Self.number(left + plotWidth / 2))\" y=\"\(Self.number(top + plotHeight + 34))\" "
        + "text-anchor=\"middle\">hours from the start of the program</text>")

    for (index, row) in rows.enumerated() {
      let y = top + Double(index) * rowHeight
      let weight = row.phase == nil ? " font-weight=\"bold\"" : ""
      svg.append(
        "<text x=\"10\" y=\"\(Self.number(y + 15))\"\(weight)>\(Self.escape(row.label))</text>")
      if let phase = row.phase {
        let o = outcome.phases[phase]
        if o.queueWaitHours > 0 {
          svg.append(
            "<line x1=\"\(Self.number(x(o.readyHours)))\" y1=\"\(Self.number(y + 11))\" "
              + "x2=\"\(Self.number(x(o.startHours)))\" y2=\"\(Self.number(y + 11))\" "
              + "stroke=\"#999999\" stroke-dasharray=\"4 3\"/>")
        }
        svg.append(
          "<rect x=\"\(Self.number(x(o.startHours)))\" y=\"\(Self.number(y + 3))\" "
            + "width=\"\(Self.number(max(0.5, x(o.endHours) - x(o.startHours))))\" height=\"16\" "
            + "fill=\"#eeeeee\" stroke=\"#bbbbbb\"><title>\(Self.escape(program.phases[phase].name)): "
            + String(format: "%.2f–%.2f h", o.startHours, o.endHours) + "</title></rect>")
        for slice in timeline.slices where slice.phase == phase {
          // Compute and checkpoint slices at their true width (thousands of writes would
          // otherwise paint the bar); rare pauses at least 1 px so they stay visible.
          let width = x(slice.endHours) - x(slice.startHours)
          let rare = slice.activity != .compute && slice.activity != .checkpoint
          guard rare || width >= 0.05 else { continue }
          svg.append(
            "<rect x=\"\(Self.number(x(slice.startHours)))\" y=\"\(Self.number(y + 3))\" "
              + "width=\"\(Self.number(rare ? max(1, width) : width))\" "
              + "height=\"16\" fill=\"\(Self.colors[slice.activity] ?? "#000000")\"/>")
        }
      }
      for mark in timeline.marks
      where mark.pool == row.pool
        && (mark.phase == row.phase || (row.phase == nil && mark.phase == nil))
      {
        let px = Self.number(x(mark.hours))
        let color = mark.kind == .failure ? "#d62728" : "#2ca02c"
        let label = mark.kind == .failure ? "failure: \(mark.component)" : "repair"
        svg.append(
          "<line x1=\"\(px)\" y1=\"\(Self.number(y + 1))\" x2=\"\(px)\" y2=\"\(Self.number(y + 21))\" "
            + "stroke=\"\(color)\" stroke-width=\"1.5\"><title>\(Self.escape(label)), node "
            + "\(mark.node), \(String(format: "%.2f h", mark.hours))</title></line>")
      }
    }

    // Legend.
    var lx = left
    let ly = top + plotHeight + 56
    let entries: [(String, String)] =
      Timeline.Activity.allCases.map {
        (Self.colors[$0] ?? "#000000", $0.rawValue.replacingOccurrences(of: "_", with: " "))
      } + [("#d62728", "failure"), ("#2ca02c", "repair"), ("#999999", "queued")]
    for (color, name) in entries {
      svg.append(
        "<rect x=\"\(Self.number(lx))\" y=\"\(Self.number(ly))\" width=\"12\" height=\"12\" "
          + "fill=\"\(color)\"/>")
      svg.append("<text x=\"\(Self.number(lx + 16))\" y=\"\(Self.number(ly + 10))\">\(name)</text>")
      lx += 30 + Double(name.count) * 7.5
    }
    svg.append("</svg>")
    return svg.joined(separator: "\n") + "\n"
  }
}
