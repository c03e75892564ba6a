import Foundation

/// "Published against predicted": each `expect:` entry of the config held against this run by
/// the check machinery (`CheckOutcome.evaluate`, as `clustersim check` does), with its status.
extension HTMLReport {
  /// The section, or nil when the config has no `expect:` entries.
  func expectations() -> Markup? {
    guard !program.expectations.isEmpty else { return nil }
    let document = report.json()
    var (held, failed, unchecked) = (0, 0, 0)
    let rows = program.expectations.map { expectation -> [String] in
      let note = expectation.knownMiss.map { "known miss: \($0)" } ?? ""
      // A sweep's expectations need the sweep the config describes, which this page does not run.
      if ResultPath(expectation.path)?.head == "sweep" {
        unchecked += 1
        return [
          expectation.path, expectation.written, "-", "", "", "not checked here",
          "a sweep expectation: clustersim check runs the config's sweep",
        ]
      }
      switch CheckOutcome.evaluate(expectation, in: document, replications: result.replications) {
      case .success(let outcome):
        if outcome.status.isFailure { failed += 1 } else { held += 1 }
        return [
          expectation.path, expectation.written, outcome.actual, outcome.difference,
          outcome.allowed, outcome.status.rawValue, note,
        ]
      case .failure(let problem):
        unchecked += 1
        return [
          expectation.path, expectation.written, "-", "", "", "cannot check", problem.message,
        ]
      }
    }
    return Self.section(
      "expectations", "Published against predicted",
      lead: "The config's expect: entries (published figures and the outcomes it is held to), "
        + "each against this run of \(TextTable.grouped(Double(result.replications), decimals: 0)) "
        + "replications, as clustersim check holds them: \(held) hold (or miss as known), "
        + "\(failed) fail" + (unchecked > 0 ? ", \(unchecked) not checked here" : "") + ".",
      charted: false,
      [
        Self.table(
          ["expectation", "expected", "predicted", "difference", "allowed", "status", "note"], rows,
          numericFrom: 2, textFrom: 4)
      ])
  }
}
