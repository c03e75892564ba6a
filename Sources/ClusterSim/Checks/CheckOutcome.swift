import Foundation

/// One expectation held against a run's result: what came out, by how much it moved, what was
/// allowed, and whether it holds.
public struct CheckOutcome: Sendable, Hashable {
  public enum Status: String, Sendable, Hashable {
    case holds
    case fails
    /// Fails, as its `known_miss` says it does.
    case knownMiss = "known miss"
    /// Marked `known_miss` but holds now: the mark can go.
    case knownMissHolds = "holds (known miss)"

    /// Whether the status fails the check.
    public var isFailure: Bool { self == .fails }
  }

  public var expectation: ExpectedOutcome
  public var status: Status
  /// The outcome as shown (`101,354`, `h100`, `a, b, c`).
  public var actual: String
  /// `+1,234 (+1.2%)`, or empty where a difference means nothing (text, order).
  public var difference: String
  /// What the tolerance allows: `± 2,027 (2%)`, `<= 300,000`, `± 3 se = ± 12.1`.
  public var allowed: String
  /// The value an update writes: the number, the pool's name, or the phases in their order.
  public var update: Update

  public enum Update: Sendable, Hashable {
    case number(Double)
    case text(String)
    case order([String])
    case none
  }

  /// Holds `expectation` to `document` (a `clustersim.result/1` or `clustersim.sweep/1`
  /// document); `replications` gives n for standard errors. Fails with the located reason when
  /// the path names no result.
  static func evaluate(
    _ expectation: ExpectedOutcome, in document: JSONValue, replications: Int
  ) -> Result<CheckOutcome, CheckProblem> {
    var outcome = CheckOutcome(
      expectation: expectation, status: .fails, actual: "", difference: "", allowed: "",
      update: .none)
    guard let path = ResultPath(expectation.path) else {
      return .failure(CheckProblem("\"\(expectation.path)\" is not a result path"))
    }
    let holds: Bool
    switch expectation.test {
    case .order(let names, let key):
      var times: [(name: String, hours: Double)] = []
      for name in names {
        let path = ResultPath("phases[\(name)].\(key.metric).mean")!
        guard case .success(let value) = path.resolve(in: document), let hours = value.numberValue
        else { return .failure(CheckProblem("phase \"\(name)\" has no \(key.metric) in the result")) }
        times.append((name, hours))
      }
      let sorted = times.enumerated().sorted {
        $0.element.hours != $1.element.hours ? $0.element.hours < $1.element.hours : $0.offset < $1.offset
      }.map(\.element)
      holds = zip(times, times.dropFirst()).allSatisfy { $0.hours <= $1.hours }
      outcome.actual = sorted.map(\.name).joined(separator: ", ")
      outcome.allowed = "by mean \(key.metric)"
      outcome.update = .order(sorted.map(\.name))
    case .text(let wanted):
      if path.head == "phases", path.segments.last == .key("pool") {
        var runs = path
        runs.segments[runs.segments.count - 1] = .key("runs_by_pool")
        guard case .success(.object(let pools)) = runs.resolve(in: document) else {
          return .failure(CheckProblem("the result has no runs_by_pool for \(expectation.path)"))
        }
        holds = pools.count == 1 && pools[0].0 == wanted
        outcome.actual =
          pools.count == 1
          ? pools[0].0
          : pools.map { "\($0.0) \(Self.display($0.1.numberValue ?? 0))" }.joined(separator: ", ")
        outcome.allowed = "every replication"
        outcome.update = pools.count == 1 ? .text(pools[0].0) : .none
      } else {
        switch path.resolve(in: document) {
        case .failure(let problem): return .failure(problem)
        case .success(let value):
          let text = ResultPath.text(value)
          holds = text == wanted
          outcome.actual = text
          outcome.update = .text(text)
        }
      }
    case .near, .exact, .bound:
      let value: JSONValue
      switch path.resolve(in: document) {
      case .failure(let problem): return .failure(problem)
      case .success(let found): value = found
      }
      guard let actual = value.numberValue else {
        let under: String
        switch value {
        case .object(let members):
          let keys = members.map(\.0)
          under =
            "has \(keys.prefix(8).joined(separator: ", "))\(keys.count > 8 ? ", ..." : "") under it; "
            + "pick one, e.g. \(expectation.path).\(keys.contains("mean") ? "mean" : keys.first ?? "")"
        case .array: under = "is a list, not a number"
        default: under = "is \(value.rendered().prefix(40)), not a number; give the value as text"
        }
        return .failure(CheckProblem("\(expectation.path) \(under)"))
      }
      outcome.actual = Self.display(actual)
      outcome.update = .number(actual)
      let expected = expectation.test.number ?? 0
      let difference = actual - expected
      if case .bound = expectation.test {
        outcome.difference = ""
      } else {
        outcome.difference =
          Self.signed(difference)
          + (expected != 0 ? String(format: " (%+.2f%%)", 100 * difference / abs(expected)) : "")
      }
      switch expectation.test {
      case .near(_, let tolerance):
        let band: Double
        switch tolerance {
        case .absolute(let amount):
          band = amount
          outcome.allowed = "± \(Self.display(amount))"
        case .relative(let fraction):
          band = fraction * abs(expected)
          outcome.allowed = "± \(Self.display(band)) (\(Self.display(100 * fraction))%)"
        case .standardErrors(let k):
          var parent = path
          parent.segments[parent.segments.count - 1] = .key("sd")
          guard case .success(let sdValue) = parent.resolve(in: document), let sd = sdValue.numberValue
          else { return .failure(CheckProblem("\(expectation.path) has no sd beside it for standard errors")) }
          let se = sd / Double(max(1, replications)).squareRoot()
          band = k * se
          outcome.allowed = "± \(Self.display(k)) se = ± \(Self.display(band))"
        }
        holds = abs(difference) <= band * (1 + 1e-12)
      case .exact(let wanted):
        holds = abs(difference) <= 1e-9 * max(1, abs(wanted))
        outcome.allowed = "exact"
      case .bound(let comparison, let bound):
        holds = comparison.holds(actual, bound)
        outcome.allowed = "\(comparison.rawValue) \(Self.display(bound))"
      default:
        holds = false
      }
    }
    switch (holds, expectation.knownMiss != nil) {
    case (true, false): outcome.status = .holds
    case (false, false): outcome.status = .fails
    case (false, true): outcome.status = .knownMiss
    case (true, true): outcome.status = .knownMissHolds
    }
    return .success(outcome)
  }

  /// Six significant digits, without an exponent below a trillion.
  static func show(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    let magnitude = abs(value)
    if magnitude >= 1e12 || (magnitude < 1e-4 && magnitude > 0) { return String(format: "%.6g", value) }
    let decimals = max(0, 5 - Int(floor(log10(max(magnitude, 1e-300)))))
    var text = String(format: "%.\(min(decimals, 8))f", value)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }

  /// `show` with thousands grouped (`31,536,485`, `95,642.1`), for the table and JUnit; the
  /// config keeps `show`'s plain digits.
  static func display(_ value: Double) -> String { TextTable.grouping(show(value)) }

  static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + display(value) }
}
