import Foundation

/// A histogram in SVG of one figure over the replications, with its p10, p50 and p90 (and mean)
/// marked as vertical lines.
struct HistogramChart: Sendable {
  /// One value per replication.
  var values: [Double]
  /// Marked lines: name and value (p10, p50, p90, mean).
  var markers: [(name: String, value: Double)]
  var axisTitle: String
  var format: @Sendable (Double) -> String
  /// What the value axis's ticks are in.
  var unit: SVG.Unit
  var color = "#4e79a7"
  var width = 460.0
  var height = 280.0

  /// Equal-width bins over [min, max]. Their width follows Freedman and Diaconis (1981),
  /// 2·IQR·n^(−1/3), so that a few outliers do not squeeze the bulk into one bin; √n bins when
  /// the interquartile range is zero. Always 5 to 40 bins (one when all values are equal).
  static func bins(_ values: [Double]) -> (low: Double, width: Double, counts: [Int]) {
    guard let low = values.min(), let high = values.max() else { return (0, 1, []) }
    // All equal: one bin, 0.1% of the value wide (1 when the value is 0, e.g. a run that costs nothing).
    guard high > low else { return (low, low == 0 ? 1 : abs(low) * 1e-3, [values.count]) }
    let sorted = values.sorted()
    let n = Double(sorted.count)
    func quantile(_ q: Double) -> Double {
      let rank: Int = Int(saturating: q * (n - 1))
      return sorted[max(0, min(sorted.count - 1, rank))]
    }
    let iqr = quantile(0.75) - quantile(0.25)
    let fd = iqr > 0 ? ((high - low) / (2 * iqr * pow(n, -1.0 / 3))).rounded(.up) : n.squareRoot()
    let count = min(40, max(5, Int(saturating: min(fd, 40))))
    let width = (high - low) / Double(count)
    var counts = [Int](repeating: 0, count: count)
    for value in values {
      let bin: Int = Int(saturating: (value - low) / width)
      counts[max(0, min(count - 1, bin))] += 1
    }
    return (low, width, counts)
  }

  /// The heights (0 = lowest) at which marker labels centred at `xs` stand so none overlaps
  /// another: each takes the lowest level whose last label ends left of it. `halfWidths` are the
  /// labels' half widths.
  static func labelLevels(xs: [Double], halfWidths: [Double], levels: Int = 4) -> [Int] {
    var ends = [Double](repeating: -.infinity, count: levels)
    var out = [Int](repeating: 0, count: xs.count)
    for index in xs.indices.sorted(by: { xs[$0] < xs[$1] }) {
      let left = xs[index] - halfWidths[index]
      let level = ends.firstIndex { $0 + 2 <= left } ?? ends.indices.min { ends[$0] < ends[$1] }!
      out[index] = level
      ends[level] = xs[index] + halfWidths[index]
    }
    return out
  }

  /// Where the marker lines start: under the baseline of the lowest row of marker labels
  /// (`top - 10`), below the labels' descenders.
  static func markerLineTop(top: Double) -> Double { top - 6 }

  func markup(label: String) -> Markup? {
    guard !values.isEmpty else { return nil }
    let (low, binWidth, counts) = Self.bins(values)
    let high = low + binWidth * Double(counts.count)
    let left = 56.0
    let right = 16.0
    let top = 56.0
    let bottom = height - 44
    let peak = Double(counts.max() ?? 1)
    func x(_ value: Double) -> Double { left + (value - low) / (high - low) * (width - left - right) }
    func y(_ count: Double) -> Double { bottom - count / peak * (bottom - top) }
    var parts: [Markup] = []
    let countStep = max(1, SVG.tickStep(span: peak, target: 4).rounded())
    for tick in SVG.ticks(from: 0, to: peak, step: countStep) {
      parts.append(SVG.line(x1: left, y1: y(tick), x2: width - right, y2: y(tick), stroke: "#eeeeee"))
      parts.append(SVG.text(TextTable.grouped(tick, decimals: 0), x: left - 6, y: y(tick) + 4, anchor: "end"))
    }
    for (index, count) in counts.enumerated() where count > 0 {
      let from = low + Double(index) * binWidth
      parts.append(SVG.rect(
        x: x(from) + 0.5, y: y(Double(count)), width: max(0.5, x(from + binWidth) - x(from) - 1),
        height: bottom - y(Double(count)), fill: color, [("class", "bin")],
        title: "\(TextTable.grouped(Double(count), decimals: 0)) of "
          + "\(TextTable.grouped(Double(values.count), decimals: 0)) replications in "
          + "\(format(from)) to \(format(from + binWidth))"))
    }
    parts.append(SVG.line(x1: left, y1: bottom, x2: width - right, y2: bottom, stroke: "#333333"))
    let valueStep = SVG.tickStep(span: high - low, target: 4)
    for tick in SVG.ticks(from: low, to: high, step: valueStep) {
      parts.append(SVG.line(x1: x(tick), y1: bottom, x2: x(tick), y2: bottom + 4, stroke: "#333333"))
      parts.append(SVG.text(
        SVG.tickLabel(tick, step: valueStep, unit: unit), x: x(tick), y: bottom + 16, anchor: "middle"))
    }
    parts.append(SVG.text(axisTitle, x: (left + width - right) / 2, y: bottom + 34, anchor: "middle"))
    let middle = (top + bottom) / 2
    parts.append(SVG.text(
      "replications", x: 14, y: middle, anchor: "middle",
      [("fill", "#555555"), ("transform", "rotate(-90 14 \(SVG.n(middle)))")]))
    let styles = ["p10": "4 3", "p50": "", "p90": "4 3", "mean": "1 3"]
    let xs = markers.map { x(min(max($0.value, low), high)) }
    let levels = Self.labelLevels(xs: xs, halfWidths: markers.map { Double($0.name.count) * 3 + 2 })
    // Every line stops below the lowest row of labels: a line drawn up to a label on a higher
    // row would strike through the labels beneath it, as it did on skewed histograms whose
    // p10, p50, p90 and mean crowd together.
    for (index, marker) in markers.enumerated() {
      parts.append(SVG.line(
        x1: xs[index], y1: Self.markerLineTop(top: top), x2: xs[index], y2: bottom,
        stroke: "#d62728",
        [("stroke-width", "1.5"), ("stroke-dasharray", styles[marker.name] ?? "")],
        title: "\(marker.name): \(format(marker.value))"))
      parts.append(SVG.text(
        marker.name, x: xs[index], y: top - 10 - Double(levels[index]) * 11, anchor: "middle",
        [("font-size", "10"), ("fill", "#d62728")]))
    }
    return SVG.root(width: width, height: height, label: label, [("class", "chart")], parts)
  }
}
