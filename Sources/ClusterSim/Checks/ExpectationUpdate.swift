import Foundation
import Yams

/// Rewrites expected values in a config's bytes to the actual ones (`check --update`), leaving
/// every other byte alone.
///
/// Each value is found from the parser's own marks (`YAMLSource`), re-written as a scalar that
/// reads back as exactly the intended value (`YAMLScalarText`), and the result is parsed again
/// and compared with the original document (`ExpectationUpdate+Verify`): it must differ in the
/// intended values and nowhere else, or nothing is written. A bound (`<= 300000`) is a policy a
/// person wrote: it moves only when `moveBounds` asks for it. A known miss never moves (its
/// expected value is the published target).
public enum ExpectationUpdate {
  /// Which expectations `check --update` rewrites.
  public enum Scope: String, Sendable, CaseIterable {
    case failing
    case all
  }

  /// One file's update: its new bytes, how many values changed, and the bounds kept as written
  /// that the update would have moved.
  public struct FileUpdate: Sendable {
    public var bytes: [UInt8]
    public var changed: Int
    public var keptBounds: Int
  }

  /// One scalar to rewrite: where it sits in the document tree, its new value, and its bytes.
  struct Edit {
    /// Child positions from the root (a mapping's pair `k` is `2k` for its key, `2k + 1` for its
    /// value; a list's item `i` is `i`).
    var treePath: [Int]
    var span: Range<Int>
    var value: String
    var replacement: String
  }

  /// `source` (the config `file`) with the values of `outcomes` rewritten (those in `scope`;
  /// bounds only with `moveBounds`), or every reason it cannot be, located.
  public static func plan(
    _ outcomes: [CheckOutcome], scope: Scope, moveBounds: Bool = false, source bytes: [UInt8],
    file: String
  ) -> Result<FileUpdate, ConfigError> {
    let source = YAMLSource(bytes: bytes)
    let text = source.text
    guard String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes) else {
      return .failure(.unreadable(file: file, reason: "cannot update: the file is not UTF-8 text"))
    }
    let root: Node
    do {
      guard let composed = try Yams.compose(yaml: text) else {
        return .failure(.unreadable(file: file, reason: "cannot update: the file is empty now"))
      }
      root = composed
    } catch {
      return .failure(
        .unreadable(file: file, reason: "cannot update: the file no longer parses; run check again")
      )
    }
    var locator = Locator(root: root, source: source, file: file)
    var edits: [Edit] = []
    var keptBounds = 0
    for outcome in outcomes where outcome.expectation.knownMiss == nil {
      guard scope == .all || outcome.status == .fails else { continue }
      if case .bound = outcome.expectation.test, !moveBounds {
        if outcome.status == .fails { keptBounds += 1 }
        continue
      }
      edits += locator.edits(for: outcome)
    }
    guard locator.issues.isEmpty else { return .failure(ConfigError(issues: locator.issues)) }
    edits.sort { $0.span.lowerBound < $1.span.lowerBound }
    for (earlier, later) in zip(edits, edits.dropFirst())
    where earlier.span.upperBound > later.span.lowerBound {
      let (line, column) = source.position(of: later.span.lowerBound)
      return .failure(
        ConfigError(issues: [
          ConfigIssue(
            file: file, line: line, column: column, keyPath: "expect",
            message:
              "two expectations share this value (an anchor and its alias); update it by hand")
        ]))
    }
    let changes = edits.filter { Array(bytes[$0.span]) != Array($0.replacement.utf8) }
    var output = bytes
    for edit in changes.reversed() {
      output.replaceSubrange(edit.span, with: Array(edit.replacement.utf8))
    }
    if let issue = verify(output, against: root, edits: changes, source: source, file: file) {
      return .failure(ConfigError(issues: [issue]))
    }
    // An order list is several scalars but one expected value.
    let changed = Set(changes.map { Array($0.treePath.prefix(2)) }).count
    return .success(FileUpdate(bytes: output, changed: changed, keptBounds: keptBounds))
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
    if fine {
      // A whole number reads back exactly without its ".0" (`== 1024`, not `== 1024.0`).
      if actual == actual.rounded(), abs(actual) < 1e15 { return String(Int64(actual)) }
      return "\(actual)"
    }
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
    var candidate =
      (upward ? (actual / scale).rounded(.up) : (actual / scale).rounded(.down)) * scale
    candidate = Double(String(format: "%.6g", candidate)) ?? candidate
    if !comparison.holds(actual, candidate) { candidate = upward ? actual.nextUp : actual.nextDown }
    return comparison.holds(actual, candidate)
      && candidate == (Double(CheckOutcome.show(candidate)) ?? .nan)
      ? CheckOutcome.show(candidate) : "\(candidate)"
  }
}
