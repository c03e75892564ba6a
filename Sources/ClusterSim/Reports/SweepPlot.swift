import Foundation
import Plot

/// A sweep drawn in SVG: wall-clock hours and cost against GPUs, one line per combination of the
/// `--set` values, the p10-p90 band around each mean, Pareto-optimal points ringed, the fastest
/// and the cheapest labelled, infeasible sizes crossed on the axis (`docs/sweeps.md`). The GPU
/// axis is logarithmic (base 2) when the counts double, linear otherwise. Built from the `SVG`
/// shapes, so every name is escaped and the HTML report embeds the same chart.
public struct SweepPlot: Sendable {
  public let result: SweepResult

  public init(_ result: SweepResult) {
    self.result = result
  }

  static let palette = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#9c755f", "#edc948"]
  static let width = 1200.0
  static let panelHeight = 300.0
  static let left = 130.0
  static let plotWidth = 700.0
  static let top = 60.0
  static let gap = 90.0

  /// The GPU counts, sorted and distinct.
  var counts: [Int] { Array(Set(result.points.compactMap(\.point.gpus))).sorted() }

  /// Whether every count is twice the one before it.
  var doubling: Bool {
    let c = counts
    return c.count > 1 && zip(c, c.dropFirst()).allSatisfy { $1 == 2 * $0 }
  }

  func x(_ gpus: Int) -> Double {
    let c = counts
    guard let first = c.first, let last = c.last, last > first else {
      return Self.left + Self.plotWidth / 2
    }
    let position =
      doubling
      ? log2(Double(gpus) / Double(first)) / log2(Double(last) / Double(first))
      : Double(gpus - first) / Double(last - first)
    return Self.left + 20 + position * (Self.plotWidth - 40)
  }

  /// The series: one per distinct list of `--set` values, in first-seen order.
  var series: [[String]] {
    var seen: [[String]] = []
    for item in result.points where !seen.contains(item.point.values) {
      seen.append(item.point.values)
    }
    return seen
  }

  /// The plot as a file of its own (`sweep --plot`).
  public func rendered() -> String { markup(standalone: true).render() + "\n" }

  /// The plot as markup; `standalone` adds the namespace a file needs (inline SVG in HTML does
  /// not).
  func markup(standalone: Bool) -> Markup {
    let height = Self.top + 2 * Self.panelHeight + Self.gap + 60
    let title = "\(result.file): sweep of \(result.phase.map { "phase \($0)" } ?? "the program")"
    var parts: [Markup] = [
      SVG.rect(x: 0, y: 0, width: Self.width, height: height, fill: "white"),
      SVG.text(title, x: Self.left, y: 28, [("font-size", "15")]),
    ]
    parts.append(panel(title: "wall-clock hours", top: Self.top, value: { $0.wallClockHours }))
    parts.append(panel(
      title: "cost (USD)", top: Self.top + Self.panelHeight + Self.gap, value: { $0.costUSD }))
    parts += legend()
    return SVG.root(
      width: Self.width, height: height, standalone: standalone, label: title,
      [("class", "chart sweep-plot")], parts)
  }

  func panel(title: String, top: Double, value: (SweepResult.Measures) -> Statistic) -> Markup {
    let bottom = top + Self.panelHeight
    let stats = result.points.compactMap { $0.measures.map(value) }
    let highest = max(stats.map(\.p90).max() ?? 1, stats.map(\.mean).max() ?? 1, 1e-9) * 1.08
    func y(_ v: Double) -> Double { bottom - v / highest * Self.panelHeight }
    let middle = top + Self.panelHeight / 2
    var out: [Markup] = [
      SVG.rect(
        x: Self.left, y: top, width: Self.plotWidth, height: Self.panelHeight, fill: "none",
        [("stroke", "#888888")]),
      SVG.text(
        title, x: Self.left - 105, y: middle, anchor: "middle",
        [("transform", "rotate(-90 \(SVG.n(Self.left - 105)) \(SVG.n(middle)))")]),
      SVG.text(
        "GPUs\(doubling ? " (log scale, base 2)" : "")", x: Self.left + Self.plotWidth / 2,
        y: bottom + 40, anchor: "middle"),
    ]
    let step = SVG.tickStep(span: highest, target: 6)
    for tick in SVG.ticks(from: 0, to: highest, step: step) {
      out.append(SVG.line(
        x1: Self.left - 4, y1: y(tick), x2: Self.left + Self.plotWidth, y2: y(tick), stroke: "#eeeeee"))
      out.append(SVG.text(
        SVG.tickLabel(tick, step: step, unit: .none), x: Self.left - 8, y: y(tick) + 4, anchor: "end"))
    }
    for gpus in counts {
      out.append(SVG.text(
        TextTable.grouped(Double(gpus), decimals: 0), x: x(gpus), y: bottom + 18, anchor: "middle"))
    }
    let pareto = Set(result.pareto)
    for (seriesIndex, values) in series.enumerated() {
      let color = Self.palette[seriesIndex % Self.palette.count]
      let members = result.points.indices.filter {
        result.points[$0].point.values == values && result.points[$0].point.gpus != nil
      }
      let feasible = members.compactMap { index -> (Int, Int, Statistic)? in
        guard let m = result.points[index].measures, let gpus = result.points[index].point.gpus
        else { return nil }
        return (index, gpus, value(m))
      }
      if feasible.count > 1 {
        let upper = feasible.map { (x($0.1), y($0.2.p90)) }
        let lower = feasible.reversed().map { (x($0.1), y($0.2.p10)) }
        out.append(SVG.polygon(
          upper + lower, fill: color, [("class", "band"), ("fill-opacity", "0.18"), ("stroke", "none")]))
        out.append(SVG.polyline(
          feasible.map { (x($0.1), y($0.2.mean)) }, stroke: color, [("stroke-width", "2")]))
      }
      for (index, gpus, stat) in feasible {
        let label =
          "#\(index + 1): \(TextTable.grouped(Double(gpus), decimals: 0)) GPUs, "
          + TextTable.grouped(stat.mean, decimals: 1)
        if pareto.contains(index) {
          out.append(SVG.circle(
            cx: x(gpus), cy: y(stat.mean), r: 8, fill: "none",
            [("class", "pareto"), ("stroke", "black"), ("stroke-width", "1.5")], title: label + " (Pareto)"))
        }
        out.append(SVG.circle(
          cx: x(gpus), cy: y(stat.mean), r: 4, fill: color, [("class", "point")], title: label))
        var marks: [String] = []
        if result.fastest == index { marks.append("fastest") }
        if result.cheapest == index { marks.append("cheapest") }
        if !marks.isEmpty {
          out.append(SVG.text(
            marks.joined(separator: ", "), x: x(gpus), y: y(stat.mean) - 12, anchor: "middle",
            [("class", "mark")]))
        }
      }
      for index in members where result.points[index].measures == nil {
        guard let gpus = result.points[index].point.gpus,
          case .infeasible(let reason) = result.points[index].outcome
        else { continue }
        out.append(Tags.element(
          "text",
          list: [
            ("class", "infeasible"), ("x", SVG.n(x(gpus))), ("y", SVG.n(bottom - 6)),
            ("text-anchor", "middle"), ("fill", color), ("font-size", "14"),
          ],
          [Tags.text("×"), SVG.title(
            "#\(index + 1): \(TextTable.grouped(Double(gpus), decimals: 0)) GPUs infeasible: \(reason)")]))
      }
    }
    return SVG.group([("class", "panel")], out)
  }

  func legend() -> [Markup] {
    var out: [Markup] = []
    let x0 = Self.left + Self.plotWidth + 20
    var y0 = Self.top + 10
    let names = series.map { values in
      values.isEmpty ? "mean, p10-p90 band" : zip(result.axes, values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
    let small: [(String, String)] = [("font-size", "11")]
    for (index, name) in names.enumerated() {
      out.append(SVG.rect(
        x: x0, y: y0 - 9, width: 12, height: 12, fill: Self.palette[index % Self.palette.count]))
      out.append(SVG.text(name, x: x0 + 18, y: y0 + 1, small))
      y0 += 18
    }
    out.append(SVG.circle(
      cx: x0 + 6, cy: y0 - 3, r: 7, fill: "none", [("stroke", "black"), ("stroke-width", "1.5")]))
    out.append(SVG.text("Pareto-optimal (time, cost)", x: x0 + 18, y: y0 + 1, small))
    y0 += 18
    out.append(SVG.text("×", x: x0 + 2, y: y0 + 2, [("font-size", "14")]))
    out.append(SVG.text("infeasible (reason on hover)", x: x0 + 18, y: y0 + 1, small))
    return out
  }
}
