import Foundation
import SimKernel
import Testing
import Yams

@testable import ClusterSim

/// A seeded fuzzer over every shipped config: each case mutates one (a key deleted, duplicated or
/// given another type, an extreme number, a long or control-character string, deep nesting, an
/// alias or an alias bomb), loads it and runs one replication. Every case must end as success,
/// a config error (exit 2) or a run error (exit 1), never a crash or another error; within a time
/// bound; with each error message on one line that starts with file:line:column; and writing its
/// output must leave only that file in its folder. Where the config has `expect:`, `check
/// --update` runs on it too (`update`), and must leave a file that loads again.
@Suite struct ConfigFuzzTests {
  /// Cases per shipped config: many for the cheap ones, few for those that plan rollouts or
  /// search layouts (seconds per load in a debug build).
  static let plan: [(file: String, cases: Int)] = [
    ("configs/example.yaml", 500), ("configs/spares/no-spares.yaml", 400),
    ("configs/spares/second-phase.yaml", 400), ("configs/bench-reliability.yaml", 300),
    ("configs/validation/megascale-175b.yaml", 300), ("configs/calibration/megatron-a100.yaml", 300),
    ("configs/validation/korthikanti-530b.yaml", 200), ("configs/calibration/deepseek-v3.yaml", 100),
    ("configs/calibration/llama3-405b.yaml", 100), ("configs/validation/llama3-405b-16k.yaml", 100),
    ("configs/bench-sweep.yaml", 60), ("configs/llama3-70b-auto.yaml", 40),
    ("configs/llama3-405b.yaml", 30), ("configs/deepseek-v3.yaml", 12), ("configs/deepseek-r1.yaml", 12),
  ]

  /// Seconds one case may take in a debug build (the slowest shipped config loads in about 3).
  static let caseSeconds = 30.0

  enum Mutation: CaseIterable {
    case deleteKey, duplicateLine, retype, extremeNumber, longString, controlString, deepNesting
    case alias, aliasBomb
  }

  static let extremes = [
    "0", "-1", "1e308", "-1e308", "1e-308", "4.9e-324", "9223372036854775807", "18446744073709551616",
    "0.5", ".nan", ".inf", "-.inf", "1_", "_1", "0x7fffffff", "1e9", "100000000", "!!str 3",
  ]

  @Test func everyMutatedConfigEndsCleanly() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "clustersim-fuzz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var stream = RandomStream(seed: 14, replication: 0)
    var tally: [String: Int] = [:]
    var slowest = (seconds: 0.0, file: "")
    let started = Date()
    for (file, cases) in Self.plan {
      let text = try String(
        contentsOf: ReferenceConfigTests.repository.appendingPathComponent(file), encoding: .utf8)
      let root = try #require(try Yams.compose(yaml: text))
      for index in 0..<cases {
        let mutation = Mutation.allCases[Int(stream.next() % UInt64(Mutation.allCases.count))]
        let mutated = Self.mutate(root, text: text, mutation, &stream)
        let name = "fuzz/\(file.split(separator: "/").last!)#\(index)"
        let clock = Date()
        let outcome = Self.run(mutated, file: name, folder: folder)
        let seconds = Date().timeIntervalSince(clock)
        if seconds > slowest.seconds { slowest = (seconds, name) }
        #expect(seconds < Self.caseSeconds, "\(name) (\(mutation)) took \(seconds) s")
        switch outcome {
        case .success: tally["exit 0", default: 0] += 1
        case .updated:
          tally["exit 0", default: 0] += 1
          tally["updated", default: 0] += 1
        case .runError: tally["exit 1", default: 0] += 1
        case .configError(let lines):
          tally["exit 2", default: 0] += 1
          for line in lines {
            #expect(
              line.wholeMatch(of: /fuzz\/[^:]+:\d+:\d+: [^\n]+/) != nil,
              "\(name) (\(mutation)): \(line.prefix(200))")
            #expect(line.count <= 1200, "\(name): a \(line.count)-character message")
          }
        case .unexpected(let description):
          Issue.record("\(name) (\(mutation)): unexpected \(description.prefix(300))")
        }
      }
    }
    print(
      "fuzz: \(tally.filter { $0.key != "updated" }.values.reduce(0, +)) cases in \(String(format: "%.1f", Date().timeIntervalSince(started))) s, "
        + "\(tally.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")); "
        + "slowest \(slowest.file) \(String(format: "%.2f", slowest.seconds)) s")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    // The seed fixes the cases: 96 of them update a file (a change that stops the updater would drop
    // this to 0).
    #expect(tally["updated", default: 0] >= 50)
  }

  enum Outcome {
    case success
    /// Ran, and `check --update` rewrote its expectations into a file that loads again.
    case updated
    case runError
    case configError([String])
    case unexpected(String)
  }

  /// Loads and runs one replication; on success writes the JSON result into `folder` and checks
  /// that only that file is there, then removes it.
  static func run(_ text: String, file: String, folder: URL) -> Outcome {
    let plan: ProgramPlan
    do {
      plan = try ConfigLoader.parsePlan(yaml: text, file: file)
    } catch {
      return .configError(error.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }
    do {
      let result = try Simulation.run(plan, replications: 1)
      let updated = update(text, plan: plan, result: result, file: file)
      if case .unexpected(let why)? = updated { return .unexpected(why) }
      let path = folder.appendingPathComponent("out.json").path
      try AtomicFile.writeAll([(ResultReport(result).render(.json), path)])
      let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      try FileManager.default.removeItem(atPath: path)
      guard left == ["out.json"] else { return .unexpected("files left: \(left)") }
      return updated ?? .success
    } catch let error as SimulationError {
      return error.message.contains("\n") ? .unexpected("a two-line run error") : .runError
    } catch {
      return .unexpected("\(error)")
    }
  }

  /// `check --update all --move-bounds` on the mutated text, against this run's result: it must
  /// end as an updated file that loads as a config again with the same expectations' paths
  /// (`.updated`), or as located one-line refusals (nil); anything else is `.unexpected`.
  static func update(_ text: String, plan: ProgramPlan, result: SimulationResult, file: String)
    -> Outcome?
  {
    let expectations = plan.program.expectations
    guard !expectations.isEmpty else { return nil }
    let document = ResultReport(result).json()
    let outcomes = expectations.compactMap {
      try? CheckOutcome.evaluate($0, in: document, replications: result.replications).get()
    }
    switch ExpectationUpdate.plan(
      outcomes, scope: .all, moveBounds: true, source: Array(text.utf8), file: file)
    {
    case .failure(let error):
      let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
      return lines.allSatisfy { $0.wholeMatch(of: /fuzz\/[^:]+:\d+:\d+: [^\n]+/) != nil }
        ? nil : .unexpected("update refused without a place: \(error.description.prefix(300))")
    case .success(let update):
      do {
        let again = try ConfigLoader.parsePlan(
          yaml: String(decoding: update.bytes, as: UTF8.self), file: file, planning: false)
        let paths = again.program.expectations.map(\.path)
        return paths == expectations.map(\.path) ? .updated : .unexpected("update moved the paths")
      } catch {
        return .unexpected("the updated file no longer loads: \(error.description.prefix(300))")
      }
    }
  }

  // MARK: Mutations

  static func mutate(_ root: Node, text: String, _ mutation: Mutation, _ stream: inout RandomStream) -> String {
    func pick(_ count: Int) -> Int { count <= 1 ? 0 : Int(stream.next() % UInt64(count)) }
    switch mutation {
    case .duplicateLine:
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      let keyed = lines.indices.filter { lines[$0].contains(": ") && !lines[$0].hasPrefix("#") }
      guard !keyed.isEmpty else { return text }
      let line = keyed[pick(keyed.count)]
      lines.insert(lines[line], at: line + 1)
      return lines.joined(separator: "\n")
    case .alias, .aliasBomb:
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let scalars = lines.indices.filter {
        let line = lines[$0]
        return line.wholeMatch(of: /\s*-?\s*[a-z_]+: [^\[{&*#"'|>][^#]*/) != nil
      }
      guard scalars.count >= 2 else { return text }
      let first = scalars[pick(scalars.count - 1)]
      let later = scalars.filter { $0 > first }
      let second = later[pick(later.count)]
      if mutation == .alias {
        lines[first] = lines[first].replacingOccurrences(of: ": ", with: ": &a ", options: [], range: lines[first].range(of: ": "))
      } else {
        // Nine levels of nine aliases: 387 million leaves if anything expanded them.
        var bomb = ["x-bomb: &b0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 {
          bomb.append("x-b\(level): &b\(level) [" + Array(repeating: "*b\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        lines[second] = String(lines[second].prefix { $0 != ":" }) + ": *b8"
        return (bomb + lines).joined(separator: "\n")
      }
      lines[second] = String(lines[second].prefix { $0 != ":" }) + ": *a"
      return lines.joined(separator: "\n")
    default:
      var node = root
      var paths: [[PathStep]] = []
      collect(node, [], &paths)
      guard !paths.isEmpty else { return text }
      let target = paths[pick(paths.count)]
      let replacement: Node?
      switch mutation {
      case .deleteKey: replacement = nil
      case .retype:
        let kinds: [Node] = [
          Node("abc"), Node(""), Node("~"), Node([(Node("x"), Node("1"))]), Node([Node("1"), Node("2")]),
          Node("true"), Node("-3"),
        ]
        replacement = kinds[pick(kinds.count)]
      case .extremeNumber: replacement = Node(extremes[pick(extremes.count)])
      case .longString: replacement = Node(String(repeating: "x", count: 10_000 + pick(100_000)))
      case .controlString: replacement = Node("a\u{1}b\u{7f}c\td\ne", Tag(.str), .doubleQuoted)
      case .deepNesting:
        var nested = Node("1")
        for _ in 0..<(16 + pick(240)) { nested = Node([nested]) }
        replacement = nested
      default: replacement = Node("x")
      }
      set(&node, at: target[...], to: replacement)
      return (try? Yams.serialize(node: node)) ?? text
    }
  }

  enum PathStep {
    case key(Node)
    case index(Int)
  }

  /// Paths to every value in the document.
  static func collect(_ node: Node, _ path: [PathStep], _ paths: inout [[PathStep]]) {
    switch node {
    case .mapping(let mapping):
      for (key, value) in mapping {
        paths.append(path + [.key(key)])
        collect(value, path + [.key(key)], &paths)
      }
    case .sequence(let sequence):
      for (index, value) in sequence.enumerated() {
        paths.append(path + [.index(index)])
        collect(value, path + [.index(index)], &paths)
      }
    default:
      break
    }
  }

  /// Replaces (or, with nil, removes) the value at `path`.
  static func set(_ node: inout Node, at path: ArraySlice<PathStep>, to value: Node?) {
    guard let step = path.first else { return }
    let rest = path.dropFirst()
    switch (node, step) {
    case (.mapping(var mapping), .key(let key)):
      if rest.isEmpty {
        mapping[key] = value
      } else if var child = mapping[key] {
        set(&child, at: rest, to: value)
        mapping[key] = child
      }
      node = .mapping(mapping)
    case (.sequence(var sequence), .index(let index)) where index < sequence.count:
      var elements = Array(sequence)
      if rest.isEmpty {
        if let value { elements[index] = value } else { elements.remove(at: index) }
      } else {
        set(&elements[index], at: rest, to: value)
      }
      sequence = Node.Sequence(elements, sequence.tag, sequence.style)
      node = .sequence(sequence)
    default:
      break
    }
  }
}
