import Foundation

/// A sweep drawn in SVG: wall-clock hours and cost against GPUs, one line per combination of the
/// `--set` values, the p10-p90 band around each mean, Pareto-optimal points ringed, the fastest
/// and the cheapest labelled, infeasible sizes crossed on the axis (`docs/sweeps.md`). The GPU
/// axis is logarithmic (base 2) when the counts double, linear otherwise.
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

  func n(_ x: Double) -> String { String(format: "%.2f", x) }

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

  public func rendered() -> String {
    let height = Self.top + 2 * Self.panelHeight + Self.gap + 60
    var svg = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(Self.width))\" height=\"\(n(height))\" "
        + "viewBox=\"0 0 \(n(Self.width)) \(n(height))\" font-family=\"sans-serif\" font-size=\"12\">",
      "<rect width=\"\(n(Self.width))\" height=\"\(n(height))\" fill=\"white\"/>",
      "<text x=\"\(n(Self.left))\" y=\"28\" font-size=\"15\">"
        + XMLText.text(
          "\(result.file): sweep of \(result.phase.map { "phase \($0)" } ?? "the program")")
        + "</text>",
    ]
    svg += panel(
      title: "wall-clock hours", top: Self.top, value: { $0.wallClockHours })
    svg += panel(
      title: "cost (USD)", top: Self.top + Self.panelHeight + Self.gap, value: { $0.costUSD })
    svg += legend()
    svg.append("</svg>")
    return svg.joined(separator: "\n") + "\n"
  }

  func panel(title: String, top: Double, value: (SweepResult.Measures) -> Statistic) -> [String] {
    let bottom = top + Self.panelHeight
    let stats = result.points.compactMap { $0.measures.map(value) }
    let highest = max(stats.map(\.p90).max() ?? 1, stats.map(\.mean).max() ?? 1, 1e-9) * 1.08
    func y(_ v: Double) -> Double { bottom - v / highest * Self.panelHeight }
    var out = [
      "<g class=\"panel\">",
      "<rect x=\"\(n(Self.left))\" y=\"\(n(top))\" width=\"\(n(Self.plotWidth))\" "
        + "height=\"\(n(Self.panelHeight))\" fill=\"none\" stroke=\"#888\"/>",
      "<text x=\"\(n(Self.left - 105))\" y=\"\(n(top + Self.panelHeight / 2))\" "
        + "transform=\"rotate(-90 \(n(Self.left - 105)) \(n(top + Self.panelHeight / 2)))\" "
        + "text-anchor=\"middle\">\(XMLText.text(title))</text>",
      "<text x=\"\(n(Self.left + Self.plotWidth / 2))\" y=\"\(n(bottom + 40))\" "
        + "text-anchor=\"middle\">GPUs\(doubling ? " (log scale, base 2)" : "")</text>",
    ]
    let step = SVG.tickStep(span: highest, target: 6)
    var tick = 0.0
    while tick <= highest {
      out.append(
        "<line x1=\"\(n(Self.left - 4))\" y1=\"\(n(y(tick)))\" x2=\"\(n(Self.left + Self.plotWidth))\" "
          + "y2=\"\(n(y(tick)))\" stroke=\"#eee\"/>")
      out.append(
        "<text x=\"\(n(Self.left - 8))\" y=\"\(n(y(tick) + 4))\" text-anchor=\"end\">"
          + TextTable.grouped(tick, decimals: step < 1 ? 2 : 0) + "</text>")
      tick += step
    }
    for gpus in counts {
      out.append(
        "<text x=\"\(n(x(gpus)))\" y=\"\(n(bottom + 18))\" text-anchor=\"middle\">"
          + TextTable.grouped(Double(gpus), decimals: 0) + "</text>")
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
        let upper = feasible.map { "\(n(x($0.1))),\(n(y($0.2.p90)))" }
        let lower = feasible.reversed().map { "\(n(x($0.1))),\(n(y($0.2.p10)))" }
        out.append(
          "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\" "
            + "fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>")
        out.append(
          "<polyline points=\"\(feasible.map { "\(n(x($0.1))),\(n(y($0.2.mean)))" }.joined(separator: " "))\" "
            + "fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>")
      }
      for (index, gpus, stat) in feasible {
        let cx = n(x(gpus))
        let cy = n(y(stat.mean))
        let label = "#\(index + 1): \(gpus) GPUs, \(TextTable.grouped(stat.mean, decimals: 1))"
        if pareto.contains(index) {
          out.append(
            "<circle class=\"pareto\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"8\" fill=\"none\" "
              + "stroke=\"black\" stroke-width=\"1.5\"><title>\(XMLText.text(label)) (Pareto)</title></circle>")
        }
        out.append(
          "<circle class=\"point\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"4\" fill=\"\(color)\">"
            + "<title>\(XMLText.text(label))</title></circle>")
        var marks: [String] = []
        if result.fastest == index { marks.append("fastest") }
        if result.cheapest == index { marks.append("cheapest") }
        if !marks.isEmpty {
          out.append(
            "<text class=\"mark\" x=\"\(cx)\" y=\"\(n(y(stat.mean) - 12))\" text-anchor=\"middle\">"
              + marks.joined(separator: ", ") + "</text>")
        }
      }
      for index in members where result.points[index].measures == nil {
        guard let gpus = result.points[index].point.gpus,
          case .infeasible(let reason) = result.points[index].outcome
        else { continue }
        out.append(
          "<text class=\"infeasible\" x=\"\(n(x(gpus)))\" y=\"\(n(bottom - 6))\" text-anchor=\"middle\" "
            + "fill=\"\(color)\" font-size=\"14\">×<title>\(XMLText.text("#\(index + 1): \(gpus) GPUs infeasible: \(reason)"))</title></text>")
      }
    }
    out.append("</g>")
    return out
  }

  func legend() -> [String] {
    var out: [String] = []
    let x0 = Self.left + Self.plotWidth + 20
    var y0 = Self.top + 10
    let names = series.map { values in
      values.isEmpty ? "mean, p10-p90 band" : zip(result.axes, values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
    for (index, name) in names.enumerated() {
      let color = Self.palette[index % Self.palette.count]
      out.append("<rect x=\"\(n(x0))\" y=\"\(n(y0 - 9))\" width=\"12\" height=\"12\" fill=\"\(color)\"/>")
      out.append("<text x=\"\(n(x0 + 18))\" y=\"\(n(y0 + 1))\" font-size=\"11\">\(XMLText.text(name))</text>")
      y0 += 18
    }
    out.append(
      "<circle cx=\"\(n(x0 + 6))\" cy=\"\(n(y0 - 3))\" r=\"7\" fill=\"none\" stroke=\"black\" stroke-width=\"1.5\"/>")
    out.append("<text x=\"\(n(x0 + 18))\" y=\"\(n(y0 + 1))\" font-size=\"11\">Pareto-optimal (time, cost)</text>")
    y0 += 18
    out.append("<text x=\"\(n(x0 + 2))\" y=\"\(n(y0 + 2))\" font-size=\"14\">×</text>")
    out.append("<text x=\"\(n(x0 + 18))\" y=\"\(n(y0 + 1))\" font-size=\"11\">infeasible (reason on hover)</text>")
    return out
  }
}
