import Foundation
import Plot

/// The sweep: cost against wall-clock time with the Pareto front, the curves against GPUs, and
/// every point's figures.
extension HTMLReport {
  static func pointName(_ point: Sweep.Point, axes: [String]) -> String {
    var parts: [String] = []
    // A no-break space keeps "2,048 GPUs" on one line in the table.
    if let gpus = point.gpus { parts.append("\(TextTable.grouped(Double(gpus), decimals: 0))\u{00A0}GPUs") }
    for (key, value) in zip(axes, point.values) { parts.append("\(key)=\(value)") }
    return parts.isEmpty ? "the config" : parts.joined(separator: ", ")
  }

  /// Mean cost against mean wall-clock time, one dot per feasible point, the Pareto front joined.
  static func paretoChart(_ sweep: SweepResult) -> Markup? {
    let feasible = sweep.points.indices.compactMap { index in
      sweep.points[index].measures.map { (index, $0.wallClockHours.mean, $0.costUSD.mean) }
    }
    guard !feasible.isEmpty else { return nil }
    let width = 760.0
    let height = 420.0
    let (left, right, top, bottom) = (90.0, 30.0, 20.0, height - 50)
    let inDays = (feasible.map(\.1).max() ?? 0) >= 48
    let scale = inDays ? 1.0 / 24 : 1
    let xs = feasible.map { $0.1 * scale }
    let ys = feasible.map(\.2)
    func padded(_ values: [Double]) -> (Double, Double) {
      let low = values.min()!, high = values.max()!
      let pad = max((high - low) * 0.08, abs(high) * 0.02, 1e-9)
      return (max(0, low - pad), high + pad)
    }
    let (x0, x1) = padded(xs)
    let (y0, y1) = padded(ys)
    func x(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * (width - left - right) }
    func y(_ v: Double) -> Double { bottom - (v - y0) / (y1 - y0) * (bottom - top) }
    var parts: [Markup] = []
    let xStep = SVG.tickStep(span: x1 - x0, target: 6)
    for tick in SVG.ticks(from: x0, to: x1, step: xStep) {
      parts.append(SVG.line(x1: x(tick), y1: top, x2: x(tick), y2: bottom, stroke: "#eeeeee"))
      parts.append(SVG.text(
        SVG.tickLabel(tick, step: xStep, unit: .none), x: x(tick), y: bottom + 16, anchor: "middle"))
    }
    let yStep = SVG.tickStep(span: y1 - y0, target: 6)
    for tick in SVG.ticks(from: y0, to: y1, step: yStep) {
      parts.append(SVG.line(x1: left, y1: y(tick), x2: width - right, y2: y(tick), stroke: "#eeeeee"))
      parts.append(SVG.text(
        SVG.tickLabel(tick, step: yStep, unit: .dollars), x: left - 6, y: y(tick) + 4, anchor: "end"))
    }
    parts.append(SVG.text(
      inDays ? "mean wall-clock days" : "mean wall-clock hours", x: (left + width - right) / 2,
      y: bottom + 36, anchor: "middle"))
    let front = sweep.pareto.compactMap { index in feasible.first { $0.0 == index } }
      .sorted { $0.1 < $1.1 }
    if front.count > 1 {
      parts.append(SVG.polyline(
        front.map { (x($0.1 * scale), y($0.2)) }, stroke: "#d62728",
        [("stroke-width", "1.5"), ("class", "pareto-front")]))
    }
    for (index, hours, dollars) in feasible {
      let onFront = sweep.pareto.contains(index)
      var name = "#\(index + 1) \(pointName(sweep.points[index].point, axes: sweep.axes))"
      if index == sweep.fastest { name += ", fastest" }
      if index == sweep.cheapest { name += ", cheapest" }
      if onFront { name += ", Pareto-optimal" }
      parts.append(SVG.circle(
        cx: x(hours * scale), cy: y(dollars), r: onFront ? 6 : 4,
        fill: onFront ? "#d62728" : "#4e79a7", [("class", "point")],
        title: "\(name): \(duration(hours)), \(TextTable.dollars(dollars))"))
      if onFront || index == sweep.fastest || index == sweep.cheapest {
        let short = pointName(sweep.points[index].point, axes: sweep.axes)
        parts.append(SVG.text(
          short.count <= 24 ? short : "#\(index + 1)", x: x(hours * scale) + 8, y: y(dollars) - 6, [("font-size", "11")]))
      }
    }
    return SVG.root(width: width, height: height, label: "cost against wall-clock time", [("class", "chart")], parts)
  }

  func sweepSection(_ sweep: SweepResult, flags: String) -> Markup {
    let rows = sweep.points.indices.map { index -> [String] in
      let item = sweep.points[index]
      var marks: [String] = []
      if index == sweep.fastest { marks.append("fastest") }
      if index == sweep.cheapest { marks.append("cheapest") }
      if sweep.pareto.contains(index) { marks.append("Pareto") }
      guard let m = item.measures else {
        if case .infeasible(let reason) = item.outcome {
          return ["#\(index + 1)", Self.pointName(item.point, axes: sweep.axes), "infeasible", "", "", "", reason]
        }
        return []
      }
      return [
        "#\(index + 1)", Self.pointName(item.point, axes: sweep.axes), Self.duration(m.wallClockHours.mean),
        TextTable.dollars(m.costUSD.mean), m.goodput.map { String(format: "%.1f%%", 100 * $0) } ?? "-",
        m.mfu.map { String(format: "%.1f%%", 100 * $0) } ?? "-",
        ([m.layout].compactMap { $0 } + marks + item.notes).joined(separator: "; "),
      ]
    }
    let pareto = Self.paretoChart(sweep)
    let curves = sweep.points.contains(where: { $0.point.gpus != nil })
    var content: [Markup] = [
      Self.figure(
        pareto,
        caption: "Mean cost against mean wall-clock time; red points are Pareto-optimal (no other "
          + "point is both faster and cheaper), joined as the front.",
        empty: "No point of the sweep could run."),
    ]
    if curves {
      // The curves against GPUs are the chart `sweep --plot` writes.
      content.append(Tags.element("figure", [:], [
        SweepPlot(sweep).markup(standalone: false),
        Tags.element("figcaption", [:], [Tags.text("Wall-clock hours and cost against GPUs, with the p10–p90 band.")]),
      ]))
    }
    content.append(Self.table(
      ["point", "values", "wall-clock", "cost", "goodput", "MFU", "layout and marks"], rows,
      numericFrom: 2, textFrom: 6))
    return Self.section(
      "sweep", "Sweep",
      lead: "\(sweep.points.count) points of `clustersim sweep \(program.source) \(flags)`"
        + (sweep.phase.map { ", figures of phase \($0)" } ?? ", figures of the whole program") + ".",
      charted: pareto != nil || curves, content)
  }
}
