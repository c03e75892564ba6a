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
