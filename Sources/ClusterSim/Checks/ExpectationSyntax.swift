import Foundation

/// The text of an expected value: `101354 ± 2%`, `0.93 +- 0.01`, `120 ± 3 se`, `<= 300000`,
/// `== 1024`, a bare number, or (for a text result such as a pool) a name.
enum ExpectationSyntax {
  /// What a malformed value should look like, for messages.
  static let forms =
    "expected NUMBER ± TOLERANCE (± 500, ± 2%, ± 3 se), a bound (<= N, < N, >= N, > N), "
    + "== N or a number"

  /// The test `text` asks for; `textual` allows a bare name (the result is text).
  static func parse(_ text: String, textual: Bool) -> Result<ExpectationTest, CheckProblem> {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return .failure(CheckProblem("\(forms), got nothing")) }
    for comparison in ExpectationTest.Comparison.allCases where trimmed.hasPrefix(comparison.rawValue) {
      // "<=" before "<": allCases lists the two-character forms first.
      let rest = String(trimmed.dropFirst(comparison.rawValue.count))
      guard let bound = number(rest) else {
        return .failure(CheckProblem("\(comparison.rawValue) needs a number after it, got \(shown(rest))"))
      }
      return .success(.bound(comparison, bound))
    }
    if trimmed.hasPrefix("==") {
      let rest = String(trimmed.dropFirst(2))
      guard let value = number(rest) else {
        return .failure(CheckProblem("== needs a number after it, got \(shown(rest))"))
      }
      return .success(.exact(value))
    }
    for sign in ["±", "+/-", "+-"] {
      guard let range = trimmed.range(of: sign) else { continue }
      let head = String(trimmed[..<range.lowerBound])
      let tail = String(trimmed[range.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
      guard let value = number(head) else {
        return .failure(CheckProblem("\(forms); \(shown(head)) before \(sign) is not a number"))
      }
      switch tolerance(tail) {
      case .success(let tolerance): return .success(.near(value, tolerance))
      case .failure(let problem): return .failure(problem)
      }
    }
    if let value = number(trimmed) { return .success(.exact(value)) }
    if textual { return .success(.text(trimmed)) }
    return .failure(CheckProblem("\(forms), got \(shown(trimmed))"))
  }

  /// `500`, `2%` or `3 se`.
  static func tolerance(_ text: String) -> Result<Tolerance, CheckProblem> {
    let usage = "a tolerance is a number (± 500), a percentage (± 2%) or standard errors (± 3 se)"
    var body = text
    var kind = "absolute"
    if body.hasSuffix("%") {
      body.removeLast()
      kind = "relative"
    } else if body.lowercased().hasSuffix("se") {
      body.removeLast(2)
      kind = "se"
    }
    guard let amount = number(body) else { return .failure(CheckProblem("\(usage), got \(shown(text))")) }
    guard amount >= 0 else { return .failure(CheckProblem("\(usage); it cannot be negative, got \(shown(text))")) }
    switch kind {
    case "relative": return .success(.relative(amount / 100))
    case "se": return .success(.standardErrors(amount))
    default: return .success(.absolute(amount))
    }
  }

  /// A finite number, with `_` allowed between digits (`2_664_000`).
  static func number(_ text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty, ConfigValue.separatorsBetweenDigits(trimmed) else { return nil }
    let digits = trimmed.replacingOccurrences(of: "_", with: "")
    guard digits.allSatisfy({ "0123456789.eE+-".contains($0) }), let value = Double(digits),
      value.isFinite
    else { return nil }
    return value
  }

  /// The span (in characters of `line`, from `start`) of the number an update rewrites: the
  /// first number after any comparator or opening quote.
  static func numberSpan(in line: String, from start: Int) -> Range<Int>? {
    let characters = Array(line)
    var index = start
    while index < characters.count, " \"'<>=".contains(characters[index]) { index += 1 }
    let begin = index
    while index < characters.count, "0123456789.eE+-_".contains(characters[index]) {
      // A sign only at the start or after an exponent.
      if "+-".contains(characters[index]), index > begin, !"eE".contains(characters[index - 1]) {
        break
      }
      index += 1
    }
    guard index > begin, number(String(characters[begin..<index])) != nil else { return nil }
    return begin..<index
  }

  /// User text quoted for a one-line message: trimmed, then as every config message quotes it.
  static func shown(_ text: String) -> String {
    ConfigValue.quoted(text.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}
