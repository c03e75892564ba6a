/// The spread of one quantity across replications.
///
/// Quantiles interpolate linearly between order statistics: for probability p over n sorted values
/// x₀…xₙ₋₁, position h = (n − 1)·p and Q(p) = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋) (Hyndman and Fan,
/// "Sample Quantiles in Statistical Packages", 1996, definition 7; NumPy's and R's default).
public struct Statistic: Sendable, Hashable, Codable {
  public var mean: Double
  public var p10: Double
  public var p50: Double
  public var p90: Double
  public var p99: Double
  public var min: Double
  public var max: Double
  /// Sample standard deviation (n − 1 in the denominator; 0 for one value).
  public var standardDeviation: Double
  /// How many values it summarises.
  public var count: Int

  public init(
    mean: Double, p10: Double, p50: Double, p90: Double, p99: Double, min: Double, max: Double,
    standardDeviation: Double, count: Int
  ) {
    self.mean = mean
    self.p10 = p10
    self.p50 = p50
    self.p90 = p90
    self.p99 = p99
    self.min = min
    self.max = max
    self.standardDeviation = standardDeviation
    self.count = count
  }

  /// Summarises `values`, which must not be empty. The mean is a compensated sum taken in the
  /// given order, so the same values in the same order always give the same bits, and a million
  /// equal values average to that value.
  public init(_ values: [Double]) {
    precondition(!values.isEmpty, "Statistic of no values")
    let sorted = values.sorted()
    count = values.count
    mean = Self.compensatedSum(values) / Double(count)
    var squares = 0.0
    for value in values { squares += (value - mean) * (value - mean) }
    standardDeviation = count > 1 ? (squares / Double(count - 1)).squareRoot() : 0
    min = sorted[0]
    max = sorted[sorted.count - 1]
    p10 = Self.quantile(sorted, 0.1)
    p50 = Self.quantile(sorted, 0.5)
    p90 = Self.quantile(sorted, 0.9)
    p99 = Self.quantile(sorted, 0.99)
  }

  /// Standard error of the mean: sd/√n.
  public var standardError: Double { standardDeviation / Double(count).squareRoot() }

  /// The 95% confidence interval of the mean, mean ± 1.96 standard errors (the normal
  /// approximation, sound for the hundreds of replications runs use).
  public var meanCI95: (low: Double, high: Double) {
    (mean - 1.959_963_984_540_054 * standardError, mean + 1.959_963_984_540_054 * standardError)
  }

  /// The sum of `values` in order with Neumaier's compensation (`CompensatedSum`).
  public static func compensatedSum(_ values: [Double]) -> Double {
    var sum = CompensatedSum()
    for value in values { sum.add(value) }
    return sum.value
  }

  /// Quantile `p` of ascending `sorted` values (Hyndman–Fan definition 7).
  public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
    quantile(p, count: sorted.count) { sorted[$0] }
  }

  /// Quantile `p` (definition 7) of `count` values given by their 0-based rank in ascending
  /// order: exact from a sorted array, or from bins (`BinnedQuantiles`).
  static func quantile(_ p: Double, count: Int, valueOfRank: (Int) -> Double) -> Double {
    let position = Double(count - 1) * p
    let lower = Swift.max(0, Swift.min(count - 1, Int(saturating: position.rounded(.down))))
    let upper = Swift.min(lower + 1, count - 1)
    let fraction = position - Double(lower)
    let value = valueOfRank(lower)
    if fraction == 0 { return value }
    return value + fraction * (valueOfRank(upper) - value)
  }
}

/// A running sum with Neumaier's compensation (Neumaier, "Rundungsfehleranalyse einiger Verfahren
/// zur Summation endlicher Summen", ZAMM 1974): the rounding error of each addition is carried
/// separately, so the error does not grow with the number of terms.
public struct CompensatedSum: Sendable, Hashable {
  var sum = 0.0
  var compensation = 0.0

  public init() {}

  public mutating func add(_ value: Double) {
    let next = sum + value
    if abs(sum) >= abs(value) {
      compensation += (sum - next) + value
    } else {
      compensation += (value - next) + sum
    }
    sum = next
  }

  /// Adds another running sum, its compensation included.
  public mutating func add(_ other: CompensatedSum) {
    add(other.sum)
    add(other.compensation)
  }

  public var value: Double { sum + compensation }
}
