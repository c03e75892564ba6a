import Foundation

/// The table `clustersim check` prints: per config, each expectation with what came out, the
/// difference and what was allowed.
public struct CheckReport: Sendable {
  public var checks: [ConfigCheck]
  /// Show only the expectations that fail (or are known misses).
  public var onlyFailed: Bool

  public init(_ checks: [ConfigCheck], onlyFailed: Bool = false) {
    self.checks = checks
    self.onlyFailed = onlyFailed
  }

  public var failures: Int { checks.map(\.failures).reduce(0, +) }

  /// Counts by status, for the summary line.
  var counts: (total: Int, holds: Int, fails: Int, known: Int, stale: Int) {
    let all = checks.flatMap(\.outcomes)
    return (
      all.count, all.count { $0.status == .holds }, all.count { $0.status == .fails },
      all.count { $0.status == .knownMiss }, all.count { $0.status == .knownMissHolds }
    )
  }

  public func table() -> String {
    let c = counts
    var parts = ["\(c.holds) hold", "\(c.fails) \(c.fails == 1 ? "fails" : "fail")"]
    if c.known > 0 { parts.append("\(c.known) known \(c.known == 1 ? "miss" : "misses")") }
    if c.stale > 0 { parts.append("\(c.stale) known \(c.stale == 1 ? "miss holds" : "misses hold") (remove known_miss)") }
    var text =
      "ClusterSim check: \(checks.count) \(checks.count == 1 ? "config" : "configs"), "
      + "\(c.total) expectations: \(parts.joined(separator: ", "))\n"
    for check in checks {
      let shown = check.outcomes.filter { !onlyFailed || $0.status != .holds }
      let known = check.outcomes.count { $0.status == .knownMiss }
      let held = check.outcomes.count - check.failures - known
      text +=
        "\n\(check.file): \(held) of \(check.outcomes.count) hold"
        + (known > 0 ? ", \(known) known \(known == 1 ? "miss" : "misses")" : "")
        + " (\(TextTable.grouped(Double(check.replications), decimals: 0)) replications, "
        + String(format: "%.1f s", check.seconds) + ")\n"
      guard !shown.isEmpty else { continue }
      let rows = shown.map { outcome -> [String] in
        let status =
          switch outcome.status {
          case .holds: "ok"
          case .fails: "FAIL"
          case .knownMiss: "miss"
          case .knownMissHolds: "ok*"
          }
        let note = outcome.expectation.knownMiss.map { "known miss: \($0)" } ?? ""
        return [
          status, outcome.expectation.path, Self.clipped(outcome.expectation.written),
          Self.clipped(outcome.actual), outcome.difference, outcome.allowed, note,
        ]
      }
      // The notes column only when a shown expectation has a note.
      let notes = rows.contains { !$0[6].isEmpty }
      text += TextTable(
        header: ["", "expectation", "expected", "actual", "difference", "allowed"]
          + (notes ? [""] : []),
        rows: notes ? rows : rows.map { Array($0.prefix(6)) }, rightAligned: [3, 4]
      ).rendered(ruleBeforeLastRow: false)
    }
    if c.stale > 0 {
      text += "\nok*: marked known_miss but holds now; remove its known_miss.\n"
    }
    return text
  }

  /// A cell cut to 40 characters (a long order list), the rest as `…`; JUnit keeps it whole.
  static func clipped(_ text: String) -> String {
    text.count <= 40 ? text : String(text.prefix(39)) + "…"
  }
}
