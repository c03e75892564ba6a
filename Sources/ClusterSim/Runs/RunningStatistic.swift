import Foundation

/// The running summary of one quantity across replications, merged in replication order.
///
/// Count, a compensated sum (Neumaier) for the mean, Welford's M2 for the variance (merged with
/// Chan, Golub and LeVeque's formula), min and max; and, for quantiles, the values themselves up
/// to `exactLimit` of them (quantiles are then exact), then `BinnedQuantiles` (within one bin,
/// a bound relative to the spread). Memory is bounded by `exactLimit` values or the bins, whatever
/// the number of replications.
public struct RunningStatistic: Sendable, Hashable {
  /// Replications up to which quantiles are exact.
  public static let exactLimit = 10_000

  var count = 0
  var sum = CompensatedSum()
  var mean = 0.0
  var m2 = 0.0
  var min = Double.infinity
  var max = -Double.infinity
  /// The values, in order, while quantiles are exact; nil once the bins keep them.
  var values: [Double]? = []
  var binned: BinnedQuantiles?

  /// A summary; `replications` (the run's total) is not needed: the summary bins its values
  /// once it holds more than `exactLimit` of them, whatever the run.
  public init(replications: Int = 0) {}

  /// Moves the values into bins over the range of the first `exactLimit` of them.
  mutating func startBinning() {
    guard let held = values else { return }
    var bins = BinnedQuantiles(first: held.prefix(Self.exactLimit))
    for value in held.dropFirst(Self.exactLimit) { bins.add(value) }
    binned = bins
    values = nil
  }

  /// Counts `value` for the quantiles.
  mutating func keep(_ value: Double) {
    if binned != nil {
      binned?.add(value)
    } else {
      values?.append(value)
      if (values?.count ?? 0) > Self.exactLimit { startBinning() }
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
    keep(value)
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
      for value in theirs { keep(value) }
    } else if let theirs = other.binned {
      if binned == nil { startBinning() }
      binned?.merge(theirs)
    }
  }

  /// The final summary: exact quantiles from the values, or the bins' clamped to [min, max].
  public var statistic: Statistic {
    precondition(count > 0, "RunningStatistic of no values")
    let sd = count > 1 ? (Swift.max(0, m2) / Double(count - 1)).squareRoot() : 0
    let quantiles: (Double) -> Double
    if let values {
      let sorted = values.sorted()
      quantiles = { Statistic.quantile(sorted, $0) }
    } else {
      let bins = binned ?? BinnedQuantiles(first: [Double]())
      quantiles = { Swift.min(max, Swift.max(min, bins.quantile($0))) }
    }
    return Statistic(
      mean: sum.value / Double(count), p10: quantiles(0.1), p50: quantiles(0.5),
      p90: quantiles(0.9), p99: quantiles(0.99), min: min, max: max, standardDeviation: sd,
      count: count)
  }
}
