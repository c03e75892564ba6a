import Testing

@testable import ClusterSim

/// Names reach terminals and one-line messages: a control character in any name (an escape
/// sequence that repaints the screen, a line break, a tab) is refused where it stands.
@Suite struct ControlCharacterTests {
  @Test(arguments: ["t\\e[31mx", "a\\nb", "a\\tb", "nel\\N", "del\\x7F"])
  func controlCharactersInNamesAreRefused(name: String) throws {
    let text = """
      cluster:
        pools:
          - {name: a100, chip: A100-SXM4-80GB, nodes: 4, price_per_gpu_hour: 1.99}
      phases:
        - {name: "\(name)", pool: a100, gpus: 32, hours: 24}
      """
    do {
      _ = try ConfigLoader.parse(yaml: text, file: "names.yaml")
      Issue.record("\(name) was accepted")
    } catch {
      #expect(error.issues.count == 1)
      let issue = try #require(error.issues.first)
      #expect((issue.line, issue.column, issue.keyPath) == (5, 12, "phases[0].name"))
      #expect(issue.message.hasPrefix("must be printable text, without control characters (found U+"))
      #expect(!issue.description.contains("\u{1B}"))
    }
  }

  @Test func printableUnicodeNamesAreAccepted() throws {
    let text = """
      cluster:
        pools:
          - {name: a100, chip: A100-SXM4-80GB, nodes: 4, price_per_gpu_hour: 1.99}
      phases:
        - {name: "abl🇫🇷 e\u{301} 日本", pool: a100, gpus: 32, hours: 24}
      """
    let program = try ConfigLoader.parse(yaml: text, file: "names.yaml")
    #expect(program.phases.map(\.name) == ["abl🇫🇷 e\u{301} 日本"])
  }
}

extension ControlCharacterTests {
  /// A known miss's reason is prose: line breaks and tabs may stand in it, an escape may not.
  @Test func knownMissReasonsAreProse() throws {
    let head = """
      cluster:
        pools:
          - {name: a100, chip: A100-SXM4-80GB, nodes: 4, price_per_gpu_hour: 1.99}
      phases:
        - {name: tune, pool: a100, gpus: 32, hours: 24}
      expect:
        - {path: total.cost_usd.mean, value: 1000 ± 1%, known_miss:
      """
    let program = try ConfigLoader.parse(yaml: head + #" "two\nlines\tand a tab"}"#, file: "k.yaml")
    #expect(program.expectations.first?.knownMiss == "two\nlines\tand a tab")
    #expect(throws: ConfigError.self) {
      try ConfigLoader.parse(yaml: head + #" "an \e[2J escape"}"#, file: "k.yaml")
    }
  }
}
