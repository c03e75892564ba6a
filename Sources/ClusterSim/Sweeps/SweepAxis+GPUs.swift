import Foundation

extension SweepAxis {
  /// The most GPUs a point may give a phase: a phase's `gpus` bound in a config.
  public static let maximumGPUs = 100_000_000

  /// The GPU counts of `--gpus`: `128,256,512`, `128...4096x2` (each the previous times 2) or
  /// `256...2048+256` (each the previous plus 256); lists may be joined with commas.
  ///
  /// Every number is bounded as it is read (1 to `maximumGPUs`, a factor or step at most
  /// `maximumGPUs`), each step of a range is computed with overflow reported, and the list stops
  /// at `maximumPoints`: no text makes it trap or grow without bound.
  public static func gpuCounts(_ text: String, flag: String = "--gpus") throws(SweepError) -> [Int]
  {
    var counts: [Int] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let item = part.trimmingCharacters(in: .whitespaces)
      let shown = ConfigValue.quoted(item)
      if let range = item.range(of: "...") {
        try appendRange(
          start: String(item[..<range.lowerBound]), rest: String(item[range.upperBound...]),
          shown: shown, flag: flag, to: &counts)
      } else if item.contains("..") || item.contains("-") && !item.hasPrefix("-")
        || item.contains("…")
      {
        throw SweepError(
          flag: flag,
          "\(shown): a range is written with three dots and a step, FIRST...LASTxFACTOR or "
            + "FIRST...LAST+STEP, e.g. 256...4096x2 (times 2) or 256...2048+256 (plus 256)")
      } else {
        guard let value = Int(item), (1...maximumGPUs).contains(value) else {
          throw SweepError(
            flag: flag,
            "\(shown) is not a whole number of GPUs from 1 to \(TextTable.grouped(Double(maximumGPUs), decimals: 0))"
          )
        }
        counts.append(value)
      }
      guard counts.count <= maximumPoints else {
        throw SweepError(
          flag: flag,
          "more than \(TextTable.grouped(Double(maximumPoints), decimals: 0)) GPU counts")
      }
    }
    return counts
  }

  /// Appends the counts of the range `start...rest` (`rest` is `LASTxFACTOR` or `LAST+STEP`).
  private static func appendRange(
    start: String, rest: String, shown: String, flag: String, to counts: inout [Int]
  ) throws(SweepError) {
    let doubling = rest.contains("x")
    guard let split = rest.firstIndex(of: doubling ? "x" : "+") else {
      throw SweepError(
        flag: flag,
        "\(shown): a range needs a step, as 128...4096x2 (times 2) or 256...2048+256 (plus 256)")
    }
    let bound = 1...maximumGPUs
    guard let first = Int(start), let last = Int(rest[..<split]),
      let step = Int(rest[rest.index(after: split)...]), bound.contains(first),
      bound.contains(last),
      last >= first, (doubling ? 2...maximumGPUs : 1...maximumGPUs).contains(step)
    else {
      throw SweepError(
        flag: flag,
        "\(shown): expected FIRST...LASTxFACTOR or FIRST...LAST+STEP with whole numbers, "
          + "1 ≤ FIRST ≤ LAST ≤ \(TextTable.grouped(Double(maximumGPUs), decimals: 0)), "
          + "a factor of at least 2 or a step of at least 1")
    }
    var value = first
    while value <= last {
      counts.append(value)
      guard counts.count <= maximumPoints else { return }
      let (next, overflow) =
        doubling ? value.multipliedReportingOverflow(by: step) : value.addingReportingOverflow(step)
      if overflow { return }
      value = next
    }
  }
}
