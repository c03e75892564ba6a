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
      of the file byte for byte; bounds move only with --move-bounds. Every file is planned and \
      verified before any is written, and all are written or none. See docs/check.md.
      """)

  @Argument(help: "Config files or folders (with --update, a last argument `all` updates every expectation).")
  var paths: [String]

  @Option(help: "Also write JUnit XML (one testsuite per config, one testcase per expectation) to this file.")
  var junit: String?

  @Flag(help: "Rewrite the expected values of failing expectations to the actual ones (`--update all`: every one).")
  var update = false

  @Flag(help: "With --update, also move bounds (<= N, >= N) to the actual values: a bound is a policy, kept unless asked.")
  var moveBounds = false

  @Flag(help: "Check configs whose runs are estimated past one CPU-day (refused otherwise).")
  var longRun = false

  @Flag(help: "List only the expectations that fail (and known misses).")
  var onlyFailed = false

  @Option(parsing: .unconditional, help: Simulate.threadsHelp)
  var threads: Int?

  @OptionGroup var hostTopology: HostTopologyFlag

  func validate() throws {
    try RunOptions<Simulate>.validate(threads: threads)
    if moveBounds, !update {
      throw ValidationError("--move-bounds goes with --update")
    }
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
    let machine = try hostTopology.machine()
    let threadCount = threads ?? Simulate.defaultThreads()
    var checks: [ConfigCheck] = []
    var problems: [String] = []
    for file in files {
      do {
        if let check = try ConfigCheck.run(
          path: file, threads: threadCount, topology: machine,
          maximumCPUSeconds: longRun ? .infinity : RunCost.limitCPUSeconds)
        {
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
      try Self.update(checks, scope: scope, moveBounds: moveBounds)
      return
    }
    if report.failures > 0 { throw CheckFailure.failed(report.failures) }
  }
}

extension CheckCommand {
  /// `--update`: plans every file's edits and verifies each updated file parses back to the
  /// intended values before writing any; then writes them all together (or none), keeping each
  /// file's mode, owner, line endings and byte-order mark.
  static func update(_ checks: [ConfigCheck], scope: ExpectationUpdate.Scope, moveBounds: Bool) throws {
    var outputs: [(bytes: [UInt8], path: String)] = []
    var lines: [String] = []
    var problems: [String] = []
    var kept = 0
    for check in checks {
      guard let data = FileManager.default.contents(atPath: check.file) else {
        problems.append("\(check.file): cannot read the config to update it")
        continue
      }
      switch ExpectationUpdate.plan(
        check.outcomes, scope: scope, moveBounds: moveBounds, source: Array(data), file: check.file)
      {
      case .success(let change):
        kept += change.keptBounds
        guard change.changed > 0 else { continue }
        outputs.append((change.bytes, check.file))
        lines.append(
          "updated \(change.changed) expected \(change.changed == 1 ? "value" : "values") in \(check.file)")
      case .failure(let error):
        problems.append(error.description)
      }
    }
    guard problems.isEmpty else {
      throw CheckFailure.badInput(problems.joined(separator: "\n") + "\nclustersim check: nothing was updated")
    }
    try AtomicFile.writeAll(bytes: outputs)
    for line in lines { print(line) }
    if outputs.isEmpty { print("nothing to update") }
    if kept > 0 {
      print(
        "kept \(kept) failing \(kept == 1 ? "bound" : "bounds") as written: a bound is a policy; "
          + "--move-bounds moves it")
      throw CheckFailure.failed(kept)
    }
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
