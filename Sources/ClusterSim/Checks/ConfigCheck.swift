import Foundation
import ParallelCore
import Yams

/// One config's expectations, held against a fresh run of it (`clustersim check`).
public struct ConfigCheck: Sendable {
  public var file: String
  public var outcomes: [CheckOutcome]
  /// Seconds the run and the check took (the JUnit `time`).
  public var seconds: Double
  public var replications: Int

  /// Failures, not counting known misses.
  public var failures: Int { outcomes.count { $0.status.isFailure } }

  /// Why a config could not be checked: its config error, or a run that stopped.
  public enum Problem: Error, Sendable, CustomStringConvertible {
    case config(ConfigError)
    case run(file: String, SimulationError)
    case sweep(file: String, SweepError)
    /// The runs would take longer than the caller allows (`check --long-run` allows it).
    case tooLong(file: String, RunCost)

    public var description: String {
      switch self {
      case .config(let error): "\(error)"
      case .run(let file, let error): "\(file): \(error)"
      case .sweep(let file, let error): "\(file): sweep: \(error.message)"
      case .tooLong(let file, let cost):
        "\(file): checking it would take \(cost.described), more than the one CPU-day a check "
          + "may take unless told; give it fewer replications, or give --long-run to go ahead"
      }
    }
  }

  /// Loads, runs and checks the config at `path`; nil when it has no `expect:`. Refused before
  /// any replication runs when its runs (the plain run and the sweep, each point estimated as the
  /// config itself) would take more than `maximumCPUSeconds` (`RunCost`).
  public static func run(
    path: String, threads: Int = 1, topology: Topology? = nil,
    maximumCPUSeconds: Double = RunCost.limitCPUSeconds
  ) throws(Problem) -> ConfigCheck? {
    let started = Date()
    let plan: ProgramPlan
    let root: Node
    do {
      // A file without a top-level `expect:` is not loaded at all: a folder may hold data files
      // and configs that are not checked.
      root = try ConfigLoader.compose(path: path)
      guard case .mapping(let top) = root, top.keys.contains(where: { $0.string == "expect" })
      else { return nil }
      plan = try ConfigLoader.parsePlan(root: root, file: path)
    } catch {
      throw .config(error)
    }
    let program = plan.program
    guard !program.expectations.isEmpty else { return nil }
    let onSweep = program.expectations.map { ResultPath($0.path)?.head == "sweep" }
    var runs = onSweep.contains(false) ? program.simulation.replications : 0
    if onSweep.contains(true), let settings = program.sweep {
      let points = (try? SweepAxis.pointCount(gpus: settings.gpus?.count, axes: settings.axes)) ?? 0
      runs += points * (settings.replications ?? program.simulation.replications)
    }
    let cost = RunCost(plan, replications: runs)
    guard cost.cpuSeconds <= maximumCPUSeconds else { throw .tooLong(file: path, cost) }
    var members: [(String, JSONValue)] = []
    var replications = program.simulation.replications
    if onSweep.contains(false) {
      do {
        let result = try Simulation.run(plan, threads: threads, topology: topology)
        replications = result.replications
        guard case .object(let fields) = ResultReport(result).json() else { return nil }
        members = fields
      } catch {
        throw .run(file: path, error)
      }
    }
    var sweepReplications = replications
    if onSweep.contains(true), let settings = program.sweep {
      do {
        let sweep = try Sweep(
          root: root, file: path, phase: settings.phase, gpus: settings.gpus, axes: settings.axes)
        sweepReplications = settings.replications ?? sweep.configReplications
        let result = try sweep.run(
          replications: settings.replications, threads: threads, topology: topology)
        members.append(("sweep", Self.chosenPoints(SweepReport(result).json())))
      } catch {
        throw .sweep(file: path, error)
      }
    }
    let document = JSONValue.object(members)
    var outcomes: [CheckOutcome] = []
    var issues: [ConfigIssue] = []
    for (index, expectation) in program.expectations.enumerated() {
      let n = onSweep[index] ? sweepReplications : replications
      switch CheckOutcome.evaluate(expectation, in: document, replications: n) {
      case .success(let outcome): outcomes.append(outcome)
      case .failure(let problem):
        issues.append(
          ConfigIssue(
            file: path, line: expectation.line, column: expectation.column,
            keyPath: "expect[\(index)]", message: problem.message))
      }
    }
    guard issues.isEmpty else { throw .config(ConfigError(issues: issues)) }
    return ConfigCheck(
      file: path, outcomes: outcomes, seconds: Date().timeIntervalSince(started),
      replications: replications)
  }

  /// A `clustersim.sweep/1` document with `fastest` and `cheapest` the points themselves (not
  /// their numbers) and `pareto` the list of points, so `sweep.cheapest.gpus` reads a point.
  static func chosenPoints(_ document: JSONValue) -> JSONValue {
    guard case .object(let fields) = document,
      case .array(let points)? = document.member("points")
    else { return document }
    func point(_ number: JSONValue) -> JSONValue {
      guard let index = number.numberValue.map({ Int($0) - 1 }), points.indices.contains(index)
      else { return .null }
      return points[index]
    }
    return .object(
      fields.map { key, value in
        switch key {
        case "fastest", "cheapest": (key, point(value))
        case "pareto":
          if case .array(let numbers) = value { (key, .array(numbers.map(point))) } else { (key, value) }
        default: (key, value)
        }
      })
  }

  /// The config files under `paths`: each file as given, each folder's `.yaml` and `.yml` files
  /// recursively, in path order; each file once, however many paths or hard links name it (a
  /// folder and a file in it name the file twice).
  public static func files(under paths: [String]) -> (files: [String], missing: [String]) {
    var seen: Set<[UInt64]> = []
    func first(_ file: String) -> Bool {
      var info = stat()
      guard stat(file, &info) == 0 else { return true }
      return seen.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted
    }
    var files: [String] = []
    var missing: [String] = []
    let manager = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
        missing.append(path)
        continue
      }
      guard isDirectory.boolValue else {
        if first(path) { files.append(path) }
        continue
      }
      let base = path.hasSuffix("/") ? String(path.dropLast()) : path
      let found = (manager.enumerator(atPath: path)?.allObjects as? [String] ?? [])
        .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        .sorted()
        .map { "\(base)/\($0)" }
      files += found.filter(first)
    }
    return (files, missing)
  }
}
