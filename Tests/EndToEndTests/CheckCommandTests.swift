import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `clustersim check` end to end: exit codes, the table, JUnit XML against the common schema's
/// rules, and `--update` on a file with comments.
@Suite struct CheckCommandTests {
  /// 32 H100 for 10 hours at $2.50, no failures: $800 and 320 GPU-hours exactly.
  static let config = """
    # A fine-tune's budget. This comment, the blank line below and the tolerances must survive
    # --update.

    cluster:
      pools:
        - {name: h100, chip: H100-SXM5-80GB, nodes: 4, price_per_gpu_hour: 2.5}
    phases:
      - name: tune
        pool: h100
        gpus: 32
        hours: 10
    simulation: {seed: 1, replications: 10}
    expect:
      - total.cost_usd.mean: 800 ± 1%     # 32 GPUs x 10 h x $2.50
      - phases.tune.gpu_hours.mean: == 320
      - phases.tune.pool: h100
      - total.cost_usd.p90: "<= 850"
    """

  @Test func passFailUpdateAndJUnit() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try CLITests.write(Self.config, to: "tune.yaml", in: folder)
    // A file without expect: in a subfolder is skipped unread (it is not even a valid config).
    _ = try CLITests.write("cluster: {pools: []}\n", to: "other.yml", in: try Self.subfolder(folder))

    let holds = try CLITests.run(["check", path])
    #expect(holds.status == 0, "\(holds.stderr)")
    #expect(holds.stdout.contains("1 config, 4 expectations: 4 hold, 0 fail"))

    // The price moves: the cost fails, the GPU-hours and the pool still hold.
    let dearer = Self.config.replacingOccurrences(of: "price_per_gpu_hour: 2.5", with: "price_per_gpu_hour: 3")
    try dearer.write(toFile: path, atomically: true, encoding: .utf8)
    let xml = folder.appendingPathComponent("report.xml").path
    let fails = try CLITests.run(["check", folder.path, "--junit", xml])
    #expect(fails.status == 1)
    #expect(fails.stderr == "clustersim check: 2 expectations fail\n")
    let rows = fails.stdout.split(separator: "\n").map(String.init)
    #expect(rows.contains { $0.hasPrefix("FAIL  total.cost_usd.mean") && $0.contains("960") && $0.contains("+160 (+20.00%)") && $0.contains("± 8 (1%)") })
    #expect(rows.contains { $0.hasPrefix("FAIL  total.cost_usd.p90") && $0.contains("<= 850") })
    #expect(rows.contains { $0.hasPrefix("ok    phases.tune.gpu_hours.mean") })
    try Self.validateJUnit(at: xml, suites: 1, tests: 4, failures: 2)

    // The budget bound is a policy: --update keeps it, says so, and the check still fails.
    let updated = try CLITests.run(["check", path, "--update"])
    #expect(updated.status == 1)
    #expect(
      updated.stdout.hasSuffix(
        "updated 1 expected value in \(path)\n"
          + "kept 1 failing bound as written: a bound is a policy; --move-bounds moves it\n"))
    #expect(
      try String(contentsOfFile: path, encoding: .utf8)
        == dearer.replacingOccurrences(of: "800 ± 1%", with: "960 ± 1%"))
    let moved = try CLITests.run(["check", path, "--update", "--move-bounds"])
    #expect(moved.status == 0)
    #expect(moved.stdout.hasSuffix("updated 1 expected value in \(path)\n"))
    let after = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      after == dearer
        .replacingOccurrences(of: "800 ± 1%", with: "960 ± 1%")
        .replacingOccurrences(of: "\"<= 850\"", with: "\"<= 960\""))
    #expect(try CLITests.run(["check", path]).status == 0)
  }

  static func subfolder(_ folder: URL) throws -> URL {
    let sub = folder.appendingPathComponent("more")
    try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
    return sub
  }

  @Test func badInputExitsTwoAndWritesNothing() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try CLITests.write(
      Self.config.replacingOccurrences(of: "phases.tune.gpu_hours.mean", with: "phases.tune.gpu_hour.mean"),
      to: "tune.yaml", in: folder)
    let xml = folder.appendingPathComponent("report.xml").path
    let output = try CLITests.run(["check", path, "--junit", xml])
    #expect(output.status == 2)
    #expect(output.stdout.isEmpty)
    #expect(
      output.stderr
        == "\(path):15:5: expect[1]: phases.tune has no key \"gpu_hour\"; did you mean \"gpu_hours\"?\n")
    #expect(!FileManager.default.fileExists(atPath: xml))
    let none = try CLITests.run(["check", folder.appendingPathComponent("missing").path])
    #expect(none.status == 2)
    let noExpectations = try CLITests.run(["check", "configs/spares"])
    #expect(noExpectations.status == 2)
    #expect(noExpectations.stderr.contains("has an expect: list"))
  }

  /// The rules of the common JUnit schema (Jenkins xUnit's junit-10.xsd): which attributes each
  /// element may carry and must carry, which children it may have, and the time pattern; plus the
  /// counts agreeing with the cases.
  static func validateJUnit(at path: String, suites: Int, tests: Int, failures: Int) throws {
    #if canImport(FoundationXML) || os(macOS)
      let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path), options: [])
      let root = try #require(document.rootElement())
      let allowed: [String: (required: Set<String>, optional: Set<String>, children: Set<String>)] = [
        "testsuites": ([], ["name", "time", "tests", "failures", "errors"], ["testsuite"]),
        "testsuite": (
          ["name", "tests", "failures", "errors"],
          ["group", "time", "skipped", "timestamp", "hostname", "id", "package", "file", "log", "url"],
          ["testsuite", "properties", "testcase", "system-out", "system-err"]
        ),
        "testcase": (
          ["name"], ["time", "classname", "group"],
          ["skipped", "error", "failure", "system-out", "system-err"]
        ),
        "failure": ([], ["type", "message"], []),
        "skipped": ([], ["type", "message"], []),
        "system-out": ([], [], []),
      ]
      let time = try Regex("^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\\.[0-9]*)?$")
      func check(_ element: XMLElement) throws {
        let name = try #require(element.name)
        let rule = try #require(allowed[name], "unexpected element \(name)")
        let attributes = Set((element.attributes ?? []).compactMap(\.name))
        #expect(rule.required.isSubset(of: attributes), "\(name) lacks \(rule.required.subtracting(attributes))")
        #expect(attributes.isSubset(of: rule.required.union(rule.optional)), "\(name) has \(attributes.subtracting(rule.required.union(rule.optional)))")
        if let value = element.attribute(forName: "time")?.stringValue, name.hasPrefix("testsuite") {
          #expect(value.wholeMatch(of: time) != nil, "time \(value)")
        }
        for child in element.children ?? [] {
          guard let child = child as? XMLElement else { continue }
          #expect(rule.children.contains(child.name ?? ""), "\(name) may not hold \(child.name ?? "")")
          try check(child)
        }
      }
      try check(root)
      #expect(root.name == "testsuites")
      let suiteElements = root.elements(forName: "testsuite")
      #expect(suiteElements.count == suites)
      let cases = suiteElements.flatMap { $0.elements(forName: "testcase") }
      #expect(cases.count == tests)
      #expect(cases.count { !$0.elements(forName: "failure").isEmpty } == failures)
      #expect(root.attribute(forName: "tests")?.stringValue == "\(tests)")
      #expect(root.attribute(forName: "failures")?.stringValue == "\(failures)")
      let failure = try #require(cases.compactMap { $0.elements(forName: "failure").first }.first)
      #expect(failure.attribute(forName: "message")?.stringValue == "expected 800 ± 1%, got 960, difference +160 (+20.00%)")
      #expect(failure.stringValue?.contains("actual: 960\n") == true)
    #endif
  }
}
