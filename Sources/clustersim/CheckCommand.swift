import ArgumentParser
import ClusterSim
import Foundation
import ParallelCore

/// `clustersim check PATH...`: runs every config under the paths that has an `expect:` list and
/// holds its outcomes to it. Exit 0 when every expectation holds, 1 when one fails, 2 for bad
/// input (a config error, an expectation path that names no result).
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Hold configs' outcomes to their expect: lists; exit 1 when one moved.",
    discussion: """
      PATH is a config file or a folder (searched recursively for .yaml and .yml files); configs \
      without expect: are skipped. --update rewrites the expected values of failing \
      expectations in place to the actual ones (--update all: of every one), keeping the rest \
      of the file byte for byte. See docs/check.md.
      """)

  @Argument(help: "Config files or folders (with --update, a last argument `all` updates every expectation).")
  var paths: [String]

  @Option(help: "Also write JUnit XML (one testsuite per config, one testcase per expectation) to this file.")
  var junit: String?

  @Flag(help: "Rewrite the expected values of failing expectations to the actual ones (`--update all`: every one).")
  var update = false

  @Flag(help: "List only the expectations that fail (and known misses).")
  var onlyFailed = false

  @Option(parsing: .unconditional, help: Simulate.threadsHelp)
  var threads: Int?

  @Option(help: Simulate.topologyHelp)
  var topology: String?

  func validate() throws {
    try RunOptions<Simulate>.validate(threads: threads)
    if paths.isEmpty || (update && paths == ["all"]) {
      throw ValidationError("give at least one config file or folder, e.g. clustersim check configs/")
    }
  }

  func run() throws {
    var paths = self.paths
    var scope = ExpectationUpdate.Scope.failing
    if update, paths.last == "all", !FileManager.default.fileExists(atPath: "all") {
      paths.removeLast()
      scope = .all
    }
    let (files, missing) = ConfigCheck.files(under: paths)
    if let first = missing.first {
      throw ValidationError("\(first): no such file or folder")
    }
    if let junit { try AtomicFile.check(junit) }
    let machine = try ParallelCore.Topology.resolve(spec: topology)
    let threadCount = threads ?? Simulate.defaultThreads()
    var checks: [ConfigCheck] = []
    var problems: [String] = []
    for file in files {
      do {
        if let check = try ConfigCheck.run(path: file, threads: threadCount, topology: machine) {
          checks.append(check)
        }
      } catch {
        problems.append(error.description)
      }
    }
    // Bad input anywhere: nothing is written or updated, every problem is said, exit 2.
    guard problems.isEmpty else {
      throw CheckFailure.badInput(problems.joined(separator: "\n"))
    }
    guard !checks.isEmpty else {
      throw CheckFailure.badInput(
        "clustersim check: no config under \(paths.joined(separator: ", ")) has an expect: list")
    }
    let report = CheckReport(checks, onlyFailed: onlyFailed)
    if let junit { try AtomicFile.write(JUnitReport(checks).xml(), to: junit) }
    print(report.table(), terminator: "")
    if update {
      var updated = 0
      for check in checks {
        let text = try String(contentsOfFile: check.file, encoding: .utf8)
        switch ExpectationUpdate.apply(check.outcomes, scope: scope, to: text) {
        case .success(let change):
          guard change.changed > 0 else { continue }
          try AtomicFile.write(change.text, to: check.file)
          updated += change.changed
          print("updated \(change.changed) expected \(change.changed == 1 ? "value" : "values") in \(check.file)")
        case .failure(let problem):
          throw CheckFailure.badInput("\(check.file): \(problem.message)")
        }
      }
      if updated == 0 { print("nothing to update") }
      return
    }
    if report.failures > 0 { throw CheckFailure.failed(report.failures) }
  }
}

/// How `check` ends when it does not succeed.
enum CheckFailure: Error, CustomStringConvertible {
  /// Expectations failed: exit 1.
  case failed(Int)
  /// A config could not be checked: exit 2.
  case badInput(String)

  var description: String {
    switch self {
    case .failed(let count): "clustersim check: \(count) \(count == 1 ? "expectation fails" : "expectations fail")"
    case .badInput(let text): text
    }
  }
}
