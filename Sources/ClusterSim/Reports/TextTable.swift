import Foundation

/// A plain-text table with aligned columns, for terminals.
struct TextTable {
  var header: [String]
  var rows: [[String]]
  /// Indices of the columns aligned right (numbers).
  var rightAligned: Set<Int>

  /// The table with a rule under the header and, optionally, above the last row (a total).
  func rendered(ruleBeforeLastRow: Bool) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in
      all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      let padded = widths.indices.map { column -> String in
        let cell = cells.indices.contains(column) ? cells[column] : ""
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        return rightAligned.contains(column) ? padding + cell : cell + padding
      }
      var text = padded.joined(separator: "  ")
      while text.last == " " { text.removeLast() }
      return text
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    var lines = [line(header), rule]
    for (index, row) in rows.enumerated() {
      if ruleBeforeLastRow, index == rows.count - 1, rows.count > 1 { lines.append(rule) }
      lines.append(line(row))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A number already written as digits (`31536485`, `-35252.5`, `1979`) with its whole part's
  /// thousands grouped; text with an exponent, or not a number, is returned as it is.
  static func grouping(_ text: String) -> String {
    let sign = text.hasPrefix("-") || text.hasPrefix("+") ? String(text.prefix(1)) : ""
    let digits = text.dropFirst(sign.count)
    let whole = digits.prefix { $0 != "." }
    guard !whole.isEmpty, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber),
      digits.dropFirst(whole.count).dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
    else { return text }
    var out = ""
    for (index, digit) in whole.enumerated() {
      if index > 0, (whole.count - index) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return sign + out + digits.dropFirst(whole.count)
  }

  /// Whole dollars, grouped: `$306,522`.
  static func dollars(_ value: Double) -> String { "$" + grouped(value, decimals: 0) }

  /// Hours to a tenth, grouped: `1,362.5 h`; a positive time that would read `0.0 h` in minutes
  /// (`2.6 min`), or below a minute in seconds (`3.6 s`, `< 0.1 s`).
  static func hours(_ value: Double) -> String {
    guard value > 0, value < 0.05 else { return grouped(value, decimals: 1) + " h" }
    if value * 60 >= 1 { return grouped(value * 60, decimals: 1) + " min" }
    return value * 3600 >= 0.05 ? grouped(value * 3600, decimals: 1) + " s" : "< 0.1 s"
  }

  /// A table cell of hours to a tenth (`67.6`), or, for a positive time that would read `0.0`,
  /// in minutes (`2.6 min`), so that a short phase does not read as no time at all.
  static func hoursCell(_ value: Double) -> String {
    value > 0 && value < 0.05 ? hours(value) : grouped(value, decimals: 1)
  }

  /// Above this magnitude a number is written with an exponent (`1.5e+18`): its digits past the
  /// 17th are noise, and `value × 10^decimals` must stay finite and exact for the rounding below.
  static let largestGrouped = 1e15

  /// `value` rounded to `decimals` places with thousands separators: `147,000`, `82.4`. Total:
  /// beyond ±1e15 it is written with an exponent (`1e+308`), and infinities and NaN as `inf`,
  /// `-inf` and `nan`; nothing traps.
  static func grouped(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : value < 0 ? "-inf" : "inf" }
    guard abs(value) < largestGrouped else { return String(format: "%.3g", value) }
    let decimals = min(max(decimals, 0), 15)
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = (scaled / scale).rounded(.down)
    var digits = String(format: "%.0f", whole)
    var groups: [String] = []
    while digits.count > 3 {
      groups.insert(String(digits.suffix(3)), at: 0)
      digits.removeLast(3)
    }
    groups.insert(digits, at: 0)
    var text = (value < 0 && scaled > 0 ? "-" : "") + groups.joined(separator: ",")
    if decimals > 0 {
      let fraction = Int((scaled - whole * scale).rounded())
      let fractionText = String(fraction)
      text += "." + String(repeating: "0", count: decimals - fractionText.count) + fractionText
    }
    return text
  }
}
