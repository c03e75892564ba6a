import Foundation
import Yams

/// Reads a YAML config into a validated `Program`, or fails with every problem it found.
///
/// Each section has a reader in its own file (`ConfigLoader+Chips`, `+Pools`, `+Phases`); this
/// file holds the document-level flow: read, parse, dispatch, check cross-references.
public enum ConfigLoader {
  /// Keys allowed at the top of a config.
  static let topLevelKeys = [
    "chips", "cluster", "expect", "include", "measured", "phases", "scheduler", "simulation", "sweep",
    "workload",
  ]

  /// Loads the config at `path`. `path` is reported back as given in every message. With
  /// `planning: false` the phases are read but not planned, so a config whose layouts cannot run
  /// still loads (for `explain --layouts`, which searches them anyway).
  public static func load(path: String, planning: Bool = true) throws(ConfigError) -> Program {
    try loadPlan(path: path, planning: planning).program
  }

  /// Loads the config at `path` and plans every phase on each of its allowed pools (unless
  /// `planning` is false: then the plan has no rows).
  public static func loadPlan(path: String, planning: Bool = true) throws(ConfigError)
    -> ProgramPlan
  {
    try parsePlan(yaml: try text(path: path), file: path, planning: planning)
  }

  /// The YAML document of the config at `path` (for sweeps, which edit it point by point).
  public static func compose(path: String) throws(ConfigError) -> Node {
    try compose(yaml: try text(path: path), file: path)
  }

  /// The largest config read: 64 MiB (the largest shipped config is under 20 KB).
  static let maximumBytes = 64 << 20

  /// The text of the config at `path` (`-` for standard input; pipes, FIFOs and process
  /// substitutions are read like files), or why it cannot be read.
  public static func text(path: String) throws(ConfigError) -> String {
    var isDirectory: ObjCBool = false
    if path != "-" {
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw .unreadable(file: path, reason: "cannot read the config: no such file; check the path")
      }
      if isDirectory.boolValue {
        throw .unreadable(file: path, reason: "cannot read the config: is a directory, not a config file")
      }
    }
    guard let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path)
    else {
      let reason =
        FileManager.default.isReadableFile(atPath: path) ? "cannot be opened" : "permission denied"
      throw .unreadable(file: path, reason: "cannot read the config: \(reason)")
    }
    let data: Data
    do {
      data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
    } catch {
      throw .unreadable(file: path, reason: "cannot read the config: \(error.localizedDescription)")
    }
    guard data.count <= maximumBytes else {
      throw .unreadable(
        file: path, reason: "the config is larger than \(maximumBytes >> 20) MiB; is it the right file?")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .unreadable(file: path, reason: "cannot read the config: it is not UTF-8 text")
    }
    return text
  }

  /// Parses config text; `file` names it in messages.
  public static func parse(yaml text: String, file: String) throws(ConfigError) -> Program {
    try parsePlan(yaml: text, file: file).program
  }

  /// Parses config text and plans every phase on each of its allowed pools.
  public static func parsePlan(yaml text: String, file: String, planning: Bool = true)
    throws(ConfigError) -> ProgramPlan
  {
    try parsePlan(root: try compose(yaml: text, file: file), file: file, planning: planning)
  }

  /// The YAML document of config text, or the located syntax error.
  public static func compose(yaml text: String, file: String) throws(ConfigError) -> Node {
    var diagnostics = ConfigDiagnostics(file: file)
    do {
      guard let composed = try Yams.compose(yaml: text) else {
        diagnostics.report(
          line: 1, column: 1, path: "",
          "the config is empty; it needs at least \"cluster\" and \"phases\" (see docs/config.md)")
        throw ConfigError(issues: diagnostics.issues)
      }
      return composed
    } catch let error as ConfigError {
      throw error
    } catch let error as YamlError {
      throw ConfigError(issues: [syntaxIssue(error, file: file, text: text)])
    } catch {
      throw .unreadable(file: file, reason: "cannot parse the YAML: \(error)")
    }
  }

  /// Reads and plans a composed config document (a sweep edits the document between points).
  public static func parsePlan(root: Node, file: String, planning: Bool = true)
    throws(ConfigError) -> ProgramPlan
  {
    var diagnostics = ConfigDiagnostics(file: file)

    let rootValue = ConfigValue(node: root, path: "", fallback: (1, 1))
    guard let top = ConfigMapping(rootValue, allowedKeys: topLevelKeys, diagnostics: &diagnostics)
    else { throw ConfigError(issues: diagnostics.issues) }

    var catalog = ChipCatalog.builtIn
    if let include = top["include"] {
      readIncludes(
        include, file: file, chain: file == "-" ? [] : [includeIdentity(file)], into: &catalog,
        &diagnostics)
    }
    if let chips = top["chips"] {
      readChips(chips, into: &catalog, &diagnostics)
    }
    let cluster = top.required("cluster", &diagnostics)
      .map { readCluster($0, catalog: catalog, &diagnostics) }
    let pools = cluster?.pools
    let phaseList = top.required("phases", &diagnostics)
    let read = phaseList.flatMap {
      readPhases($0, pools: pools, storage: cluster?.storage, planning: planning, &diagnostics)
    }
    let phases = read?.phases
    let simulation = top["simulation"].flatMap { readSimulation($0, &diagnostics) }

    var policy = SchedulingPolicy.fifo
    var placement = Placement.earliest
    if let scheduler = top["scheduler"],
      let fields = ConfigMapping(
        scheduler, allowedKeys: ["policy", "placement"], diagnostics: &diagnostics)
    {
      if let given = fields["policy"] {
        policy = choice(given, SchedulingPolicy.self, named: "policy", &diagnostics) ?? .fifo
      }
      if let given = fields["placement"] {
        placement = choice(given, Placement.self, named: "placement", &diagnostics) ?? .earliest
      }
    }
    var allPhases = phases
    if let workload = top["workload"], let pools, let phases {
      let seed = simulation?.seed ?? SimulationSettings().seed
      if let generated = readWorkload(
        workload, pools: pools, existing: phases.map(\.name), seed: seed, &diagnostics)
      {
        allPhases = phases + generated
      }
    }

    if let allPhases, allPhases.count > Program.maximumPhases, let at = top["workload"] ?? top["phases"] {
      diagnostics.report(
        at,
        "the program has \(allPhases.count) phases (the config's and the generated ones); at most "
          + "\(TextTable.grouped(Double(Program.maximumPhases), decimals: 0)) are accepted")
    }
    guard diagnostics.issues.isEmpty, let pools, let allPhases, let read else {
      throw ConfigError(issues: diagnostics.issues)
    }
    let sweep = top["sweep"].flatMap { readSweep($0, phases: allPhases.map(\.name), &diagnostics) }
    let expectations = top["expect"].map {
      readExpectations(
        $0, phases: allPhases.map(\.name), pools: pools.map(\.name), sweep: top["sweep"] != nil,
        &diagnostics)
    }
    let measurements = top["measured"].map {
      readMeasured($0, phases: allPhases.map(\.name), &diagnostics)
    }
    guard diagnostics.issues.isEmpty else { throw ConfigError(issues: diagnostics.issues) }
    var program = Program(
      source: file, catalog: catalog, pools: pools, phases: allPhases,
      simulation: simulation ?? SimulationSettings(), policy: policy,
      expectations: expectations ?? [], sweep: sweep, placement: placement)
    program.measurements = measurements ?? []
    guard planning else { return ProgramPlan(program: program, phases: []) }
    // Generated jobs (work given as hours) are planned here; the config's phases already were.
    var plans = read.plans
    let planner = Planner(program)
    for index in read.phases.count..<allPhases.count {
      do {
        plans.append(
          try allPhases[index].poolIndices.map { pool throws(PlanError) in
            try planner.plan(phase: index, pool: pool)
          })
      } catch {
        let at = top["workload"] ?? rootValue
        diagnostics.report(at, "job \"\(allPhases[index].name)\": \(error.message)")
        throw ConfigError(issues: diagnostics.issues)
      }
    }
    return ProgramPlan(program: program, phases: plans)
  }

  /// `simulation:`: seed and replications.
  static func readSimulation(_ value: ConfigValue, _ diagnostics: inout ConfigDiagnostics)
    -> SimulationSettings?
  {
    guard
      let mapping = ConfigMapping(
        value, allowedKeys: ["replications", "seed"], diagnostics: &diagnostics)
    else { return nil }
    var settings = SimulationSettings()
    var valid = true
    if let seed = mapping["seed"] {
      if let parsed = readSeed(seed, &diagnostics) { settings.seed = parsed } else { valid = false }
    }
    if let replications = mapping["replications"] {
      let range = 1...SimulationSettings.maximumReplications
      if let count = replications.integer(in: range, &diagnostics) {
        settings.replications = count
      } else {
        valid = false
      }
    }
    return valid ? settings : nil
  }

  /// A seed: a whole number from 0 to 2^64 − 1, read exactly (not through a Double). The scalar
  /// passes the same gate as every other config number (`ConfigValue.numericText`: no tags other
  /// than !!int, `_` only between digits), then must be an int YAML writes in decimal, `0x`, `0o`
  /// or `0b`.
  static func readSeed(_ value: ConfigValue, _ diagnostics: inout ConfigDiagnostics) -> UInt64? {
    guard let (text, isInteger) = value.numericText(&diagnostics) else { return nil }
    var digits = Substring(text)
    if digits.first == "+" { digits.removeFirst() }
    var radix = 10
    for (prefix, base) in [("0x", 16), ("0o", 8), ("0b", 2)] where digits.hasPrefix(prefix) {
      digits.removeFirst(2)
      radix = base
    }
    if isInteger, digits.first != "+", digits.first != "-", let seed = UInt64(digits, radix: radix)
    {
      return seed
    }
    diagnostics.report(
      value, "must be a whole number from 0 to \(UInt64.max), got \(value.shown)")
    return nil
  }

  /// Turns a Yams parse failure into a located issue.
  static func syntaxIssue(_ error: YamlError, file: String, text: String) -> ConfigIssue {
    func issue(_ mark: Mark, _ message: String) -> ConfigIssue {
      issueAt(mark.line, mark.column, message)
    }
    func issueAt(_ line: Int, _ column: Int, _ message: String) -> ConfigIssue {
      ConfigIssue(file: file, line: line, column: column, keyPath: "(document)", message: message)
    }
    func withContext(_ problem: String, _ context: YamlError.Context?) -> String {
      guard let context else { return "YAML syntax error: \(problem)" }
      return
        "YAML syntax error: \(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
    }
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      return issue(mark, withContext(problem, context))
    case .duplicatedKeysInMapping(let duplicates, let context):
      let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
      let message = "duplicate key \(keys) in one mapping; give each key once"
      // Yams marks the mapping; point at the second occurrence of the key when it can be found.
      if let key = duplicates.first,
        let places = keyOccurrences(key, in: text, from: context.mark.line), places.count >= 2
      {
        return issueAt(
          places[1].line, places[1].column, message + " (first at line \(places[0].line))")
      }
      return issue(context.mark, message)
    case .reader(let problem, let offset, _, _):
      let prefix = text.utf8.prefix(max(0, offset ?? 0))
      let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
      let column =
        prefix.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        .last.map { $0.count + 1 } ?? 1
      return issueAt(line, column, "cannot read the YAML: \(problem)")
    default:
      return issueAt(1, 1, "cannot parse the YAML: \(error)")
    }
  }

  /// Lines and columns where `key:` opens a line (after indentation and an optional `- `), from
  /// line `first` on: a best-effort locator for Yams errors that only mark the enclosing mapping.
  static func keyOccurrences(_ key: String, in text: String, from first: Int) -> [(
    line: Int, column: Int
  )]? {
    var found: [(line: Int, column: Int)] = []
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated() where offset + 1 >= first
    {
      var rest = Substring(line)
      var column = 1
      while let character = rest.first, character == " " || character == "-" {
        rest.removeFirst()
        column += 1
      }
      for candidate in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(candidate) {
        let after = rest.dropFirst(candidate.count).drop { $0 == " " }
        if after.first == ":" { found.append((offset + 1, column)) }
      }
    }
    return found.isEmpty ? nil : found
  }
}
