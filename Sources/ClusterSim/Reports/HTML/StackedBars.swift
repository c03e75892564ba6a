import Foundation

/// Horizontal stacked bars in SVG: a bar per row (a phase, a pool), a segment per series (a cost
/// cause, a part of the step), a key above and a value axis below. Segments carry their figures
/// as tooltips; each bar ends with its total.
struct StackedBars: Sendable {
  struct Series: Sendable {
    var name: String
    var color: String
  }

  struct Bar: Sendable {
    var label: String
    /// One value per series, in the order of `series` (0 for none).
    var values: [Double]
    /// Drawn after the bar, e.g. its total.
    var note: String
  }

  var series: [Series]
  var bars: [Bar]
  /// How a value reads in tooltips and notes.
  var format: @Sendable (Double) -> String
  /// What the axis's ticks are in.
  var unit: SVG.Unit
  var width = 940.0

  static let labelWidth = 230.0
  static let noteWidth = 130.0
  static let rowHeight = 26.0

  /// The chart, or nil when no bar has anything to draw.
  func markup(label: String) -> Markup? {
    let largest = bars.map { $0.values.reduce(0, +) }.max() ?? 0
    guard largest > 0 else { return nil }
    let plotWidth = width - Self.labelWidth - Self.noteWidth
    let step = SVG.tickStep(span: largest, target: 5)
    let axisEnd = (largest / step).rounded(.up) * step
    func x(_ value: Double) -> Double { Self.labelWidth + value / axisEnd * plotWidth }
    var parts: [Markup] = []
    // The key: only series some bar uses.
    let used = series.indices.filter { index in bars.contains { $0.values[index] > 0 } }
    var keyX = Self.labelWidth
    var keyY = 8.0
    for index in used {
      let itemWidth = 28 + Double(series[index].name.count) * 6.8
      if keyX + itemWidth > width { keyX = Self.labelWidth; keyY += 18 }
      parts.append(SVG.rect(x: keyX, y: keyY, width: 12, height: 12, fill: series[index].color))
      parts.append(SVG.text(series[index].name, x: keyX + 16, y: keyY + 10))
      keyX += itemWidth
    }
    let top = keyY + 26
    let bottom = top + Double(bars.count) * Self.rowHeight
    for tick in SVG.ticks(from: 0, to: axisEnd, step: step) {
      parts.append(SVG.line(x1: x(tick), y1: top - 4, x2: x(tick), y2: bottom, stroke: "#e0e0e0"))
      parts.append(SVG.text(
        SVG.tickLabel(tick, step: step, unit: unit), x: x(tick), y: bottom + 16, anchor: "middle"))
    }
    for (row, bar) in bars.enumerated() {
      let y = top + Double(row) * Self.rowHeight
      let total = bar.values.reduce(0, +)
      parts.append(SVG.text(bar.label, x: Self.labelWidth - 8, y: y + 17, anchor: "end"))
      var start = 0.0
      for (index, value) in bar.values.enumerated() where value > 0 {
        let share = total > 0 ? 100 * value / total : 0
        parts.append(SVG.rect(
          x: x(start), y: y + 4, width: max(0.5, x(start + value) - x(start)), height: 18,
          fill: series[index].color, [("class", "segment")],
          title: "\(bar.label), \(series[index].name): \(format(value)) (\(String(format: "%.1f", share))%)"))
        start += value
      }
      parts.append(SVG.text(bar.note, x: x(total) + 6, y: y + 17, [("fill", "#333333")]))
    }
    return SVG.root(
      width: width, height: bottom + 26, label: label, [("class", "chart")], parts)
  }
}
