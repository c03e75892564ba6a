import Foundation
import Plot

/// SVG shapes as `Markup`, for the charts of the HTML report and the Gantt file. Coordinates are
/// user units (pixels at 100%), written with at most two decimals.
enum SVG {
  /// A coordinate or length: two decimals, trailing zeros dropped.
  static func n(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    var text = String(format: "%.2f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
  }

  /// The `<svg>` root, `width` × `height` user units; `standalone` adds the namespace a file
  /// needs (inline SVG in HTML does not).
  static func root(
    width: Double, height: Double, standalone: Bool = false, label: String,
    _ attributes: [(String, String)] = [], _ children: [Markup]
  ) -> Markup {
    var list: [(String, String)] = []
    if standalone { list.append(("xmlns", "http://www.w3.org/2000/svg")) }
    list += [
      ("width", n(width)), ("height", n(height)), ("viewBox", "0 0 \(n(width)) \(n(height))"),
      ("font-family", "sans-serif"), ("font-size", "12"), ("role", "img"), ("aria-label", label),
    ]
    return Tags.element("svg", list: list + attributes, children)
  }

  /// A `<title>` child: the tooltip of its parent shape.
  static func title(_ text: String) -> Markup { Tags.element("title", [:], [Tags.text(text)]) }

  /// A shape `<name attributes...></name>`, its tooltip as a `<title>` child when given (an
  /// explicit end tag reads the same as `/>` in HTML and in XML).
  static func shape(_ name: String, _ attributes: [(String, String)], title: String? = nil) -> Markup {
    Tags.element(name, list: attributes, title.map { [Self.title($0)] } ?? [])
  }

  /// `points` as an SVG points list: `x,y x,y ...`.
  static func points(_ points: [(Double, Double)]) -> String {
    points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
  }

  static func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String,
    _ extra: [(String, String)] = [], title: String? = nil
  ) -> Markup {
    shape(
      "rect",
      [("x", n(x)), ("y", n(y)), ("width", n(max(0, width))), ("height", n(max(0, height))),
       ("fill", fill)] + extra, title: title)
  }

  static func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
    _ extra: [(String, String)] = [], title: String? = nil
  ) -> Markup {
    shape(
      "line",
      [("x1", n(x1)), ("y1", n(y1)), ("x2", n(x2)), ("y2", n(y2)), ("stroke", stroke)] + extra,
      title: title)
  }

  static func circle(
    cx: Double, cy: Double, r: Double, fill: String, _ extra: [(String, String)] = [],
    title: String? = nil
  ) -> Markup {
    shape("circle", [("cx", n(cx)), ("cy", n(cy)), ("r", n(r)), ("fill", fill)] + extra, title: title)
  }

  /// A polyline through `points`.
  static func polyline(_ points: [(Double, Double)], stroke: String, _ extra: [(String, String)] = [])
    -> Markup
  {
    shape("polyline", [("points", Self.points(points)), ("fill", "none"), ("stroke", stroke)] + extra)
  }

  /// A closed polygon through `points`.
  static func polygon(_ points: [(Double, Double)], fill: String, _ extra: [(String, String)] = [])
    -> Markup
  {
    shape("polygon", [("points", Self.points(points)), ("fill", fill)] + extra)
  }

  /// Text at (x, y); `anchor` is start, middle or end.
  static func text(
    _ content: String, x: Double, y: Double, anchor: String = "start",
    _ extra: [(String, String)] = []
  ) -> Markup {
    Tags.element(
      "text", list: [("x", n(x)), ("y", n(y)), ("text-anchor", anchor)] + extra,
      [Tags.text(content)])
  }

  static func group(_ attributes: [(String, String)], _ children: [Markup]) -> Markup {
    Tags.element("g", list: attributes, children)
  }

  /// A round tick step giving about `target` ticks over `span`: 1, 2 or 5 times a power of ten.
  static func tickStep(span: Double, target: Double = 10) -> Double {
    guard span > 0, span.isFinite else { return 1 }
    let raw = span / target
    let magnitude = pow(10, log10(raw).rounded(.down))
    for factor in [1.0, 2, 5, 10] where factor * magnitude >= raw {
      return factor * magnitude
    }
    return 10 * magnitude
  }

  /// A tick's label: as many decimals as `step` needs, thousands grouped, between `unit`'s
  /// prefix and suffix (e.g. "$" and "", or "" and " h").
  static func tickLabel(_ value: Double, step: Double, unit: Unit) -> String {
    let decimals = step >= 1 || !(step > 0) ? 0 : Int(saturating: (-log10(step)).rounded(.up))
    return unit.prefix + TextTable.grouped(value, decimals: min(decimals, 6)) + unit.suffix
  }

  /// What an axis's numbers are in.
  struct Unit: Sendable {
    var prefix = ""
    var suffix = ""
    static let none = Unit()
    static let dollars = Unit(prefix: "$")
    static func suffix(_ text: String) -> Unit { Unit(suffix: text) }
  }

  /// Ticks from the first multiple of `step` at or after `low` up to `high`.
  static func ticks(from low: Double, to high: Double, step: Double) -> [Double] {
    guard step > 0, high >= low else { return [] }
    var values: [Double] = []
    var k = (low / step - 1e-9).rounded(.up)
    while k * step <= high + step * 1e-9, values.count < 1_000 {
      values.append(k * step + 0)  // + 0 turns -0 into 0
      k += 1
    }
    return values
  }
}
