import Foundation

/// Rewrites expected values in a config's text to the actual ones, leaving every other byte
/// alone: only the number (or name, or flow list) of each updated entry changes; its comparator,
/// tolerance, quotes and comments stay.
public enum ExpectationUpdate {
  /// Which expectations `check --update` rewrites.
  public enum Scope: String, Sendable, CaseIterable {
    case failing
    case all
  }

  /// `text` with the values of `outcomes` rewritten (those in `scope`), and how many changed.
  /// A known miss is never rewritten (its expected value is the published target).
  public static func apply(_ outcomes: [CheckOutcome], scope: Scope, to text: String)
    -> Result<(text: String, changed: Int), CheckProblem>
  {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var changed = 0
    // Right to left within a line, so earlier columns stay valid.
    let chosen = outcomes.filter {
      $0.expectation.knownMiss == nil && (scope == .all || $0.status == .fails)
    }.sorted {
      ($0.expectation.valueLine, $0.expectation.valueColumn)
        > ($1.expectation.valueLine, $1.expectation.valueColumn)
    }
    for outcome in chosen {
      let e = outcome.expectation
      let index = e.valueLine - 1
      guard lines.indices.contains(index) else {
        return .failure(CheckProblem("line \(e.valueLine) of \(e.path) is not in the file"))
      }
      var characters = Array(lines[index])
      let start = e.valueColumn - 1
      let replacement: String
      let span: Range<Int>
      switch outcome.update {
      case .number(let actual):
        guard let found = ExpectationSyntax.numberSpan(in: lines[index], from: start) else {
          return .failure(
            CheckProblem("cannot find the number of \(e.path) at line \(e.valueLine); update it by hand"))
        }
        span = found
        replacement = written(actual, for: e.test)
      case .text(let name):
        var end = start
        let quoted = characters.indices.contains(start) && "\"'".contains(characters[start])
        var begin = start
        if quoted { begin += 1 }
        end = begin
        while end < characters.count, !(quoted ? "\"'" : " #,}").contains(characters[end]) {
          end += 1
        }
        span = begin..<end
        replacement = name
      case .order(let names):
        guard characters.indices.contains(start), characters[start] == "[",
          let close = characters[start...].firstIndex(of: "]")
        else {
          return .failure(
            CheckProblem("\(e.path) at line \(e.valueLine) is not a one-line [a, b] list; update it by hand"))
        }
        span = start..<(close + 1)
        replacement = "[" + names.joined(separator: ", ") + "]"
      case .none:
        continue
      }
      let before = String(characters[span])
      guard before != replacement else { continue }
      characters.replaceSubrange(span, with: Array(replacement))
      lines[index] = String(characters)
      changed += 1
    }
    return .success((lines.joined(separator: "\n"), changed))
  }

  /// The actual value as the expectation's new number: six significant digits, unless the test
  /// is exact or its tolerance is finer than that rounding, then the shortest exact form.
  static func written(_ actual: Double, for test: ExpectationTest) -> String {
    if case .bound(let comparison, _) = test { return bound(actual, comparison) }
    let rounded = Double(String(format: "%.6g", actual)) ?? actual
    let error = abs(rounded - actual)
    let fine: Bool
    switch test {
    case .exact: fine = true
    case .near(_, .absolute(let amount)): fine = error > amount / 10
    case .near(_, .relative(let fraction)): fine = error > fraction * abs(actual) / 10
    default: fine = false
    }
    if fine { return "\(actual)" }
    return CheckOutcome.show(rounded)
  }

  /// A bound moved to the actual value: six significant digits rounded outward, so the new bound
  /// holds (`<= 306641.5` becomes `<= 306642`), or the nearest number that holds when rounding
  /// cannot.
  static func bound(_ actual: Double, _ comparison: ExpectationTest.Comparison) -> String {
    guard actual != 0, actual.isFinite else { return "\(actual)" }
    let exponent = Int(floor(log10(abs(actual)))) - 5
    let scale = pow(10, Double(exponent))
    let upward = comparison == .atMost || comparison == .below
    var candidate = (upward ? (actual / scale).rounded(.up) : (actual / scale).rounded(.down)) * scale
    candidate = Double(String(format: "%.6g", candidate)) ?? candidate
    if !comparison.holds(actual, candidate) { candidate = upward ? actual.nextUp : actual.nextDown }
    return comparison.holds(actual, candidate) && candidate == (Double(CheckOutcome.show(candidate)) ?? .nan)
      ? CheckOutcome.show(candidate) : "\(candidate)"
  }
}
