/// How far an outcome may move from its expected value.
public enum Tolerance: Sendable, Hashable {
  /// `± 500`: in the result's own unit.
  case absolute(Double)
  /// `± 2%`: a fraction of the expected value.
  case relative(Double)
  /// `± 3 se`: standard errors of the actual mean, sd/√n over the run's replications, so a
  /// stochastic outcome is checked at the precision the run has.
  case standardErrors(Double)
}

/// What an expectation asks of its outcome.
public enum ExpectationTest: Sendable, Hashable {
  /// `101354 ± 2%`: within the tolerance of the value.
  case near(Double, Tolerance)
  /// `== 1024` or a bare number: equal (to 1e-9 of the value, what printing keeps).
  case exact(Double)
  /// `<= 300000`, `< 1`, `>= 0.9`, `> 0`.
  case bound(Comparison, Double)
  /// `phases.NAME.pool: h100`: the phase ran on that pool in every replication; for a text
  /// result, equal to the text.
  case text(String)
  /// `order: [a, b, c]` (by mean start) or `end_order: [...]` (by mean end): the phases in that
  /// order, ties allowed.
  case order([String], by: OrderKey)

  public enum Comparison: String, Sendable, Hashable, CaseIterable {
    case atMost = "<="
    case below = "<"
    case atLeast = ">="
    case above = ">"

    func holds(_ actual: Double, _ bound: Double) -> Bool {
      switch self {
      case .atMost: actual <= bound
      case .below: actual < bound
      case .atLeast: actual >= bound
      case .above: actual > bound
      }
    }
  }

  public enum OrderKey: String, Sendable, Hashable {
    case start = "order"
    case end = "end_order"

    /// The statistic the order compares.
    var metric: String { self == .start ? "start_hours" : "end_hours" }
  }

  /// The expected number, when there is one.
  var number: Double? {
    switch self {
    case .near(let value, _), .exact(let value), .bound(_, let value): value
    case .text, .order: nil
    }
  }
}

/// One entry of a config's `expect:` list: a result path, what it should be, and where the
/// expected value sits in the file (so `check --update` can rewrite it in place).
public struct ExpectedOutcome: Sendable, Hashable {
  /// `phases.r1-zero.gpu_hours.mean`, `total.cost_usd.p90`, `sweep.cheapest.gpus`, or `order`.
  public var path: String
  public var test: ExpectationTest
  /// The expected value as written (`101354 ± 2%`), for the report.
  public var written: String
  /// Set when the outcome is known to miss its target: the check reports it, does not fail on
  /// it, and says so when it starts to hold.
  public var knownMiss: String?
  /// 1-based line and column of the entry (for messages) and of the written value (for updates).
  public var line: Int
  public var column: Int
  public var valueLine: Int
  public var valueColumn: Int

  public init(
    path: String, test: ExpectationTest, written: String, knownMiss: String? = nil, line: Int,
    column: Int, valueLine: Int, valueColumn: Int
  ) {
    self.path = path
    self.test = test
    self.written = written
    self.knownMiss = knownMiss
    self.line = line
    self.column = column
    self.valueLine = valueLine
    self.valueColumn = valueColumn
  }
}

/// Why an expected value or a result path cannot be used: a sentence for a located message.
public struct CheckProblem: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  init(_ message: String) { self.message = message }
  public var description: String { message }
}
