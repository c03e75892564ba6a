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
        "  <testsuite name=\"\(Self.escape(check.file))\" tests=\"\(check.outcomes.count)\" "
        + "failures=\"\(check.failures)\" errors=\"0\" skipped=\"\(suiteSkipped)\" "
        + "time=\"\(Self.time(check.seconds))\">\n"
      let perCase = check.outcomes.isEmpty ? 0 : check.seconds / Double(check.outcomes.count)
      for outcome in check.outcomes {
        let e = outcome.expectation
        text +=
          "    <testcase name=\"\(Self.escape(e.path))\" classname=\"\(Self.escape(Self.classname(check.file)))\" "
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
            ">\n      <failure message=\"\(Self.escape(message))\" type=\"expectation\">"
            + Self.escape(detail, attribute: false) + "</failure>\n    </testcase>\n"
        case .knownMiss:
          let message = "known miss: \(e.knownMiss ?? "")"
          text +=
            ">\n      <skipped message=\"\(Self.escape(message))\"/>\n"
            + "      <system-out>\(Self.escape(detail, attribute: false))</system-out>\n    </testcase>\n"
        }
      }
      text += "  </testsuite>\n"
    }
    text += "</testsuites>\n"
    return text
  }

  /// `configs/deepseek-r1.yaml` → `configs.deepseek-r1`: dashboards group cases by dotted class.
  static func classname(_ file: String) -> String {
    var name = file
    for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
    return name.replacingOccurrences(of: "/", with: ".")
  }

  static func time(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

  /// Text for an XML attribute or element (XML 1.0 §2.4): the five special characters escaped,
  /// newlines and tabs as character references in attributes (kept in element text), other
  /// control characters dropped (XML 1.0 cannot carry them).
  static func escape(_ text: String, attribute: Bool = true) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n": out += attribute ? "&#10;" : "\n"
      case "\t": out += attribute ? "&#9;" : "\t"
      default:
        if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
