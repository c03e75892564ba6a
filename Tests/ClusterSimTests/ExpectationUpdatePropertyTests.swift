import Foundation
import SimKernel
import Testing
import Yams

@testable import ClusterSim

/// `check --update`'s law: on any config, the updated file parses, its expectations read back
/// as the intended values, and nothing else in the document changes; a second update with the
/// same outcomes changes nothing. Random files mix Unicode (multi-scalar graphemes, line and
/// paragraph separators, NEL inside quoted text), comments, anchors and aliases, flow and block
/// styles, LF, CR LF and CR line ends and a byte-order mark.
@Suite struct ExpectationUpdatePropertyTests {
  static let files = 1_200

  /// Text pieces that break naive updaters: graphemes of several scalars, YAML indicators, quotes.
  static let pieces = [
    "a", "b7", "🇫🇷", "é", "e\u{301}", "ß", "日本", "x y", ": ", " #", ",", "[", "]", "{", "}", "'",
    "\"", "\\", "-", "?", "&", "*", "!", "|", ">", "%", "@", "\t", "\u{2028}", "\u{2029}", "\u{85}",
    "\u{FEFF}", "null", "true", "~", "0x1F", "1e3", "—", "👩‍👩‍👧",
  ]

  @Test func updatedFilesReparseToExactlyTheIntendedValues() throws {
    var stream = RandomStream(seed: 25, replication: 0)
    var updatedValues = 0
    for index in 0..<Self.files {
      var generator = Generator(stream: stream)
      let file = generator.file()
      stream = generator.stream
      let name = "property-\(index).yaml"
      let root = try #require(try Yams.compose(yaml: YAMLSource(bytes: file.bytes).text))
      let expectations = try Self.expectations(root, phases: file.phases, file: name)
      #expect(
        expectations.count == file.entries,
        "\(name): \(String(decoding: file.bytes, as: UTF8.self))")
      // An actual value for every expectation: a number, a pool name or a new order.
      var outcomes: [CheckOutcome] = []
      var wanted: [ExpectationTest] = []
      for expectation in expectations {
        var outcome = CheckOutcome(
          expectation: expectation, status: .fails, actual: "", difference: "", allowed: "",
          update: .none)
        switch expectation.test {
        case .order(let names, let key):
          let order = generator.shuffled(names)
          outcome.update = .order(order)
          wanted.append(.order(order, by: key))
        case .text:
          let text = "q" + generator.text() + "z"
          outcome.update = .text(text)
          wanted.append(.text(text))
        default:
          let actual = generator.number()
          outcome.update = .number(actual)
          let written = try #require(
            ExpectationSyntax.number(ExpectationUpdate.written(actual, for: expectation.test)))
          wanted.append(expectation.test.replacingNumber(written))
        }
        if expectation.knownMiss != nil {
          wanted[wanted.count - 1] = expectation.test
        }
        outcomes.append(outcome)
      }
      stream = generator.stream
      let result = ExpectationUpdate.plan(
        outcomes, scope: .all, moveBounds: true, source: file.bytes, file: name)
      guard case .success(let update) = result else {
        Issue.record(
          "\(name) was refused: \(result); file:\n\(String(decoding: file.bytes, as: UTF8.self))")
        continue
      }
      updatedValues += update.changed
      let after = try #require(try Yams.compose(yaml: YAMLSource(bytes: update.bytes).text))
      // Everything but the expectations is the same document.
      #expect(Self.withoutExpectations(after) == Self.withoutExpectations(root), "\(name)")
      let reread = try Self.expectations(after, phases: file.phases, file: name)
      #expect(
        reread.map(\.test) == wanted, "\(name): \(String(decoding: update.bytes, as: UTF8.self))")
      // Line ends and the byte-order mark are kept: the counts of each kind of break do not move.
      for end in ["\r\n", "\r", "\n"] {
        #expect(Self.count(end, in: update.bytes) == Self.count(end, in: file.bytes), "\(name)")
      }
      #expect(
        update.bytes.starts(with: YAMLSource.byteOrderMark)
          == file.bytes.starts(with: YAMLSource.byteOrderMark))
      // Idempotent: the same outcomes against the updated file change nothing.
      let again = reread.enumerated().map { index, expectation in
        var outcome = outcomes[index]
        outcome.expectation = expectation
        return outcome
      }
      let second = try ExpectationUpdate.plan(
        again, scope: .all, moveBounds: true, source: update.bytes, file: name
      ).get()
      #expect(second.changed == 0, "\(name)")
    }
    #expect(updatedValues > Self.files)
  }

  /// The expectations of a composed document, read as the config loader reads them.
  static func expectations(_ root: Node, phases: [String], file: String) throws -> [ExpectedOutcome]
  {
    guard case .mapping(let top) = root, let list = top["expect"] else { return [] }
    var diagnostics = ConfigDiagnostics(file: file)
    let value = ConfigValue(node: list, path: "expect", fallback: (1, 1))
    let read = ConfigLoader.readExpectations(
      value, phases: phases, pools: ["p"], sweep: true, &diagnostics)
    if !diagnostics.issues.isEmpty { throw ConfigError(issues: diagnostics.issues) }
    return read
  }

  static func withoutExpectations(_ root: Node) -> Node {
    guard case .mapping(let top) = root else { return root }
    return .mapping(
      Node.Mapping(top.filter { $0.key.string != "expect" }.map { ($0.key, $0.value) }))
  }

  /// How many times `end` stands in `bytes` as a whole line end (a CR of CR LF is not a CR).
  static func count(_ end: String, in bytes: [UInt8]) -> Int {
    var count = 0
    var index = 0
    while index < bytes.count {
      if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
        if end == "\r\n" { count += 1 }
        index += 2
        continue
      }
      if (bytes[index] == 0x0D && end == "\r") || (bytes[index] == 0x0A && end == "\n") {
        count += 1
      }
      index += 1
    }
    return count
  }
}
