import Foundation

/// JUnit XML of a check, as CI dashboards read it (GitHub Actions test reporters, GitLab's
/// `artifacts:reports:junit`, Jenkins' junit step): a `testsuites` root, one `testsuite` per
/// config, one `testcase` per expectation; a failing one carries a `failure` with the expected
/// and actual values, a known miss a `skipped` with its reason. Attributes are those of the
/// common JUnit schema (Jenkins xUnit's junit-10.xsd, after Apache Ant's format): `tests`,
/// `failures`, `errors`, `time` on the root (which has no `skipped`), the same and `skipped` on
/// suites, `name`, `classname`, `time` on cases.
public struct JUnitReport: Sendable {
  public var checks: [ConfigCheck]

  public init(_ checks: [ConfigCheck]) {
    self.checks = checks
  }

  public func xml() -> String {
    let outcomes = checks.flatMap(\.outcomes)
    let failures = outcomes.count { $0.status.isFailure }
    let seconds = checks.map(\.seconds).reduce(0, +)
    var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    text +=
      "<testsuites name=\"clustersim check\" tests=\"\(outcomes.count)\" failures=\"\(failures)\" "
      + "errors=\"0\" time=\"\(Self.time(seconds))\">\n"
    for check in checks {
      let suiteSkipped = check.outcomes.count { $0.status == .knownMiss }
      text +=
        "  <testsuite name=\"\(XMLText.attribute(check.file))\" tests=\"\(check.outcomes.count)\" "
        + "failures=\"\(check.failures)\" errors=\"0\" skipped=\"\(suiteSkipped)\" "
        + "time=\"\(Self.time(check.seconds))\">\n"
      let perCase = check.outcomes.isEmpty ? 0 : check.seconds / Double(check.outcomes.count)
      for outcome in check.outcomes {
        let e = outcome.expectation
        text +=
          "    <testcase name=\"\(XMLText.attribute(e.path))\" classname=\"\(XMLText.attribute(Self.classname(check.file)))\" "
          + "time=\"\(Self.time(perCase))\""
        let detail =
          "expected: \(e.written)\nactual: \(outcome.actual)\n"
          + (outcome.difference.isEmpty ? "" : "difference: \(outcome.difference)\n")
          + "allowed: \(outcome.allowed)\nat: \(check.file):\(e.line):\(e.column)"
        switch outcome.status {
        case .holds, .knownMissHolds:
          text += "/>\n"
        case .fails:
          let message = "expected \(e.written), got \(outcome.actual)"
            + (outcome.difference.isEmpty ? "" : ", difference \(outcome.difference)")
          text +=
            ">\n      <failure message=\"\(XMLText.attribute(message))\" type=\"expectation\">"
            + XMLText.text(detail) + "</failure>\n    </testcase>\n"
        case .knownMiss:
          let message = "known miss: \(e.knownMiss ?? "")"
          text +=
            ">\n      <skipped message=\"\(XMLText.attribute(message))\"/>\n"
            + "      <system-out>\(XMLText.text(detail))</system-out>\n    </testcase>\n"
        }
      }
      text += "  </testsuite>\n"
    }
    text += "</testsuites>\n"
    return text
  }

  /// `configs/deepseek-r1.yaml` → `configs.deepseek-r1`: dashboards group cases by dotted class.
  /// Empty path segments (a leading `/`, `//`) and `.` segments (`./configs`) add no dot:
  /// `/tmp/x/a.yaml` → `tmp.x.a`.
  static func classname(_ file: String) -> String {
    var name = file
    for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
    return name.split(separator: "/").filter { $0 != "." }.joined(separator: ".")
  }

  static func time(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
}
