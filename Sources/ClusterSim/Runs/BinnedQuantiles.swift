import Foundation

/// Quantiles of a run past `RunningStatistic.exactLimit` replications, with an error bound
/// relative to the spread of the values rather than to their size.
///
/// When a summary passes the limit, its first `exactLimit` values fix a range: their [min, max],
/// widened by half its span on each side, split into `binCount` equal bins. Every value, those
/// first ones included, is counted in its bin; values outside the range are kept exactly, sorted
/// when asked. A quantile's rank (Hyndman and Fan's definition 7, as for exact runs) is found by
/// walking the counts, and a rank inside a bin of c values is placed as the bin's
/// ((j + ½)/c)-th point. The value returned is within one bin width of the exact order
/// statistic: `errorBound`, (range of the first values) / 8,192, or 0.001 standard deviations
/// for normal values and 0.02 unless that range spans more than 164 of them.
///
/// Outside values are at most `overflowLimit`: past it the range grows to hold them and the
/// counts are moved to the new bins by their bins' centres, which adds half an old bin width to
/// the bound. Memory is `binCount` counts and at most `overflowLimit` values, whatever the count.
/// Adding the same values in the same order gives the same state, so a run merged chunk by chunk
/// in replication order equals one pass over it.
struct BinnedQuantiles: Sendable, Hashable {
  static let binCount = 16_384
  static let overflowLimit = 4_096

  private(set) var low: Double
  private(set) var width: Double
  private var counts: [UInt32]
  private var below: [Double] = []
  private var above: [Double] = []
  private(set) var count = 0
  /// How far a returned quantile may be from the exact order statistic.
  private(set) var errorBound: Double

  /// Bins over the range of `first`, then `first` counted.
  init(first: some Collection<Double>) {
    let lo = first.min() ?? 0
    let hi = first.max() ?? 0
    (low, width) = Self.layout(lo, hi)
    counts = [UInt32](repeating: 0, count: Self.binCount)
    errorBound = width
    for value in first { add(value) }
  }

  /// The low edge and width of bins over [lo, hi] widened by half its span each side; a single
  /// value gets a span of 1e-9 of its size (or 1e-12) so that the bins have a width.
  static func layout(_ lo: Double, _ hi: Double) -> (low: Double, width: Double) {
    let span = Swift.max(hi - lo, Swift.max(abs(hi), abs(lo)) * 1e-9, 1e-12)
    return (lo - span / 2, 2 * span / Double(binCount))
  }

  mutating func add(_ value: Double) {
    count += 1
    let position = (value - low) / width
    if position < 0 {
      below.append(value)
    } else if position >= Double(Self.binCount) {
      above.append(value)
    } else {
      counts[Swift.min(Self.binCount - 1, Int(saturating: position))] += 1
      return
    }
    if below.count + above.count > Self.overflowLimit { widen() }
  }

  /// Grows the range over every outside value and moves the counts to the new bins.
  private mutating func widen() {
    let lo = Swift.min(low, below.min() ?? low)
    let hi = Swift.max(low + width * Double(Self.binCount), above.max() ?? low)
    let old = (low: low, width: width, counts: counts)
    let outside = below + above
    (low, width) = Self.layout(lo, hi)
    counts = [UInt32](repeating: 0, count: Self.binCount)
    below = []
    above = []
    for (bin, n) in old.counts.enumerated() where n > 0 {
      let centre = old.low + (Double(bin) + 0.5) * old.width
      let bin = Int(saturating: (centre - low) / width)
      counts[Swift.min(Self.binCount - 1, Swift.max(0, bin))] += n
    }
    count -= outside.count
    errorBound = width + errorBound / 2
    for value in outside { add(value) }
  }

  /// Counts `other`'s values: its outside values exactly, its bins by their centres (the bound
  /// grows by half of its width).
  mutating func merge(_ other: BinnedQuantiles) {
    for value in other.below + other.above { add(value) }
    for (bin, n) in other.counts.enumerated() where n > 0 {
      let centre = other.low + (Double(bin) + 0.5) * other.width
      for _ in 0..<n { add(centre) }
    }
    errorBound = Swift.max(errorBound, other.errorBound) + other.width / 2
  }

  /// The value of 0-based rank `rank` in ascending order.
  func value(ofRank rank: Int) -> Double {
    var rest = rank
    if rest < below.count { return below.sorted()[rest] }
    rest -= below.count
    for (bin, n) in counts.enumerated() where n > 0 {
      if rest < Int(n) { return low + (Double(bin) + (Double(rest) + 0.5) / Double(n)) * width }
      rest -= Int(n)
    }
    let sortedAbove = above.sorted()
    return sortedAbove[Swift.min(rest, sortedAbove.count - 1)]
  }

  /// Quantile `p` (Hyndman–Fan definition 7), within `errorBound` of the exact one.
  func quantile(_ p: Double) -> Double {
    guard count > 0 else { return .nan }
    return Statistic.quantile(p, count: count, valueOfRank: value(ofRank:))
  }
}
