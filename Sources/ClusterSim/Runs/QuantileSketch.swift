import Foundation

/// A mergeable quantile sketch with relative accuracy: DDSketch (Masson, Rim and Lee, "DDSketch:
/// A Fast and Fully-Mergeable Quantile Sketch with Relative-Error Guarantees", VLDB 2019).
///
/// A positive value x falls in bucket ⌈log_γ x⌉ with γ = (1 + α)/(1 − α); a bucket stands for
/// 2γⁱ/(γ + 1), within a relative α of every value in it. Negative values are kept the same way
/// by magnitude, and values of magnitude below `minimumMagnitude` count as zero. Merging adds
/// bucket counts, so the sketch of a set of values does not depend on how they were split or in
/// which order the parts were merged; its size grows with the logarithm of the values' range,
/// not with their number.
public struct QuantileSketch: Sendable, Hashable {
  /// The relative accuracy α.
  public static let relativeAccuracy = 0.005
  /// Magnitudes below this are counted as zero.
  public static let minimumMagnitude = 1e-9

  static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
  static let logGamma = log(gamma)

  var positive: [Int: Int] = [:]
  var negative: [Int: Int] = [:]
  var zeros = 0
  public private(set) var count = 0

  public init() {}

  static func bucket(_ magnitude: Double) -> Int { Int((log(magnitude) / logGamma).rounded(.up)) }
  static func value(_ bucket: Int) -> Double { 2 * pow(gamma, Double(bucket)) / (gamma + 1) }

  public mutating func add(_ value: Double) {
    count += 1
    if abs(value) < Self.minimumMagnitude {
      zeros += 1
    } else if value > 0 {
      positive[Self.bucket(value), default: 0] += 1
    } else {
      negative[Self.bucket(-value), default: 0] += 1
    }
  }

  public mutating func merge(_ other: QuantileSketch) {
    count += other.count
    zeros += other.zeros
    positive.merge(other.positive, uniquingKeysWith: +)
    negative.merge(other.negative, uniquingKeysWith: +)
  }

  /// The value of rank ⌊q·(n − 1)⌋ (0-based) in ascending order, within a relative α.
  public func quantile(_ q: Double) -> Double {
    guard count > 0 else { return .nan }
    let rank = Int((q * Double(count - 1)).rounded(.down))
    var seen = 0
    for bucket in negative.keys.sorted(by: >) {
      seen += negative[bucket] ?? 0
      if seen > rank { return -Self.value(bucket) }
    }
    seen += zeros
    if seen > rank { return 0 }
    for bucket in positive.keys.sorted() {
      seen += positive[bucket] ?? 0
      if seen > rank { return Self.value(bucket) }
    }
    return Self.value(positive.keys.max() ?? 0)
  }

  /// Buckets held: what the sketch's memory grows with.
  public var bucketCount: Int { positive.count + negative.count + (zeros > 0 ? 1 : 0) }
}

/// The running summary of one quantity across replications, merged in replication order.
///
/// Count, a compensated sum (Neumaier) for the mean, Welford's M2 for the variance (merged with
/// Chan, Golub and LeVeque's formula), min and max; and, for quantiles, either the values
/// themselves (`exact`, for runs of at most `exactLimit` replications: quantiles are then exact)
/// or a `QuantileSketch` (beyond: relative error at most 0.5%). Memory is bounded by
/// `exactLimit` values or the sketch's buckets, whatever the number of replications.
public struct RunningStatistic: Sendable, Hashable {
  /// Replications up to which quantiles are exact.
  public static let exactLimit = 10_000

  var count = 0
  var sum = CompensatedSum()
  var mean = 0.0
  var m2 = 0.0
  var min = Double.infinity
  var max = -Double.infinity
  /// The values, in order, when quantiles are exact; nil when the sketch keeps them.
  var values: [Double]?
  var sketch: QuantileSketch?

  /// A summary for a run of `replications` in all: exact below `exactLimit`, sketched above.
  public init(replications: Int) {
    if replications <= Self.exactLimit {
      values = []
    } else {
      sketch = QuantileSketch()
    }
  }

  public mutating func add(_ value: Double) {
    count += 1
    sum.add(value)
    let delta = value - mean
    mean += delta / Double(count)
    m2 += delta * (value - mean)
    min = Swift.min(min, value)
    max = Swift.max(max, value)
    if values != nil {
      values?.append(value)
    } else {
      sketch?.add(value)
    }
  }

  /// Appends `other`, the summary of the replications that follow these.
  public mutating func merge(_ other: RunningStatistic) {
    guard other.count > 0 else { return }
    guard count > 0 else {
      self = other
      return
    }
    let total = count + other.count
    let delta = other.mean - mean
    m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / Double(total)
    mean += delta * Double(other.count) / Double(total)
    sum.add(other.sum)
    count = total
    min = Swift.min(min, other.min)
    max = Swift.max(max, other.max)
    if let theirs = other.values {
      values?.append(contentsOf: theirs)
    }
    if let theirs = other.sketch {
      sketch?.merge(theirs)
    }
  }

  /// The final summary: exact quantiles from the values, or the sketch's clamped to [min, max].
  public var statistic: Statistic {
    precondition(count > 0, "RunningStatistic of no values")
    let sd = count > 1 ? (Swift.max(0, m2) / Double(count - 1)).squareRoot() : 0
    let quantiles: (Double) -> Double
    if let values {
      let sorted = values.sorted()
      quantiles = { Statistic.quantile(sorted, $0) }
    } else {
      let sketch = sketch ?? QuantileSketch()
      quantiles = { Swift.min(max, Swift.max(min, sketch.quantile($0))) }
    }
    return Statistic(
      mean: sum.value / Double(count), p10: quantiles(0.1), p50: quantiles(0.5),
      p90: quantiles(0.9), p99: quantiles(0.99), min: min, max: max, standardDeviation: sd,
      count: count)
  }
}
