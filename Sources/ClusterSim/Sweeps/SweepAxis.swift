import Foundation

/// What a sweep varies: the GPUs of one phase, and any config value by its key path, each over a
/// list of values; the grid is their product (`docs/sweeps.md`).
public struct SweepAxis: Sendable, Hashable {
  /// The key path, as written (`cluster.pools[h800].spare_nodes`).
  public var key: String
  public var path: ConfigPath
  /// The values, as written (each becomes a plain YAML scalar: `1.5`, `auto`, `true`).
  public var values: [String]

  /// `KEY=V1,V2,...` of `--set`.
  public init(setting text: String) throws(SweepError) {
    guard let equals = text.firstIndex(of: "=") else {
      throw SweepError(
        flag: "--set", "expected KEY=V1,V2,... (e.g. cluster.pools[0].spare_nodes=0,2,4), got \(text)")
    }
    key = String(text[..<equals])
    path = try ConfigPath(key, flag: "--set")
    values = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespaces) }
    if values.isEmpty || values.contains(where: \.isEmpty) {
      throw SweepError(flag: "--set \(key)", "give one or more values separated by commas, none empty")
    }
  }

  public init(key: String, path: ConfigPath, values: [String]) {
    self.key = key
    self.path = path
    self.values = values
  }

  /// The GPU counts of `--gpus`: `128,256,512`, `128...4096x2` (each the previous times 2) or
  /// `256...2048+256` (each the previous plus 256); lists may be joined with commas.
  public static func gpuCounts(_ text: String) throws(SweepError) -> [Int] {
    var counts: [Int] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let item = part.trimmingCharacters(in: .whitespaces)
      if let range = item.range(of: "...") {
        let start = String(item[..<range.lowerBound])
        var rest = String(item[range.upperBound...])
        let doubling = rest.contains("x")
        let separator: Character = doubling ? "x" : "+"
        guard let split = rest.firstIndex(of: separator) else {
          throw SweepError(
            flag: "--gpus",
            "\(item): a range needs a step, as 128...4096x2 (times 2) or 256...2048+256 (plus 256)")
        }
        let end = String(rest[..<split])
        rest = String(rest[rest.index(after: split)...])
        guard let first = Int(start), let last = Int(end), let step = Int(rest), first >= 1,
          last >= first, step >= (doubling ? 2 : 1)
        else {
          throw SweepError(
            flag: "--gpus",
            "\(item): expected FIRST...LASTxFACTOR or FIRST...LAST+STEP with whole numbers, "
              + "1 ≤ FIRST ≤ LAST, a factor of at least 2 or a step of at least 1")
        }
        var value = first
        while value <= last {
          counts.append(value)
          if counts.count > maximumPoints { break }
          value = doubling ? value * step : value + step
        }
      } else {
        guard let value = Int(item), value >= 1 else {
          throw SweepError(flag: "--gpus", "\(item) is not a whole number of GPUs (at least 1)")
        }
        counts.append(value)
      }
      if counts.count > maximumPoints { break }
    }
    guard counts.count <= maximumPoints else {
      throw SweepError(flag: "--gpus", "more than \(maximumPoints) GPU counts")
    }
    return counts
  }

  /// The most points a sweep may have.
  public static let maximumPoints = 10_000
}

/// A bad sweep request: the flag and what is wrong, with what would be valid.
public struct SweepError: Error, Sendable, Hashable, CustomStringConvertible {
  public var flag: String
  public var message: String

  public init(flag: String, _ message: String) {
    self.flag = flag
    self.message = message
  }

  public var description: String { "\(flag): \(message)" }
}
