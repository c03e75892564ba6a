import Foundation
import Testing

@testable import ClusterSim

/// Issue 14's input cases: numbers YAML does not read as numbers, keys that are not names, values
/// too long or spanning lines, and floods of problems; each message one line with its place.
@Suite struct RobustInputTests: ConfigCases {
  static let valid = ConfigErrorTests.valid

  static let cases: [(old: String, new: String, expected: String)] = [
    ("      nodes: 64", "      nodes: !!str 64",
     "configs/x.yaml:5:14: cluster.pools[0].nodes: expected a number, got \"64\" (it is tagged !!str; remove the tag)"),
    ("      price_per_gpu_hour: 2", "      price_per_gpu_hour: _2",
     "configs/x.yaml:6:27: cluster.pools[0].price_per_gpu_hour: expected a number, got \"_2\""),
    ("    hours: 10", "    hours: _1_",
     "configs/x.yaml:15:12: phases[0].hours: expected a number, got \"_1_\""),
    ("    hours: 10", "    hours: 1_",
     "configs/x.yaml:15:12: phases[0].hours: expected a number, got \"1_\"; _ may only separate digits (1_000)"),
    ("    gpus: 32", "    gpus: !!python/object:os.system 8",
     "configs/x.yaml:14:11: phases[0].gpus: expected a number, got \"8\" (it is tagged tag:yaml.org,2002:python/object:os.syste…)"),
    ("  - name: prep", "  - [a, b]: 1\n    name: prep",
     "configs/x.yaml:12:5: phases[0]: a key must be a plain name, got a list (write the name alone)"),
    ("    hours: 10", "    hours: |\n      1\n      2",
     "configs/x.yaml:15:12: phases[0].hours: expected a number, got \"1\\n2\\n\""),
  ]

  @Test(arguments: cases)
  func refusedWithItsPlace(old: String, new: String, expected: String) {
    let found = messages(edited(old, new))
    #expect(found == [expected])
  }

  /// A million-character value is quoted as a 40-character excerpt.
  @Test func longValueIsExcerpted() {
    let long = String(repeating: "x", count: 1_000_000)
    let found = messages(edited("    pool: a100", "    pool: \(long)"))
    #expect(found.count == 1)
    #expect(found[0].count < 300)
    #expect(found[0].hasPrefix("configs/x.yaml:13:11: phases[0].pool: "))
    #expect(found[0].contains("\"" + String(repeating: "x", count: 40) + "…\""))
  }

  /// Thousands of bad elements: 20 messages, then one line counting the rest, each located.
  @Test func floodsOfProblemsAreCapped() throws {
    let bad = (0..<3000).map { "      - {name: p\($0), pool: a100, gpus: 8, hours: -1}" }.joined(separator: "\n")
    let yaml = Self.valid.replacingOccurrences(of: "phases:\n", with: "phases:\n" + bad.replacingOccurrences(of: "      - ", with: "  - ") + "\n")
    do {
      _ = try ConfigLoader.parse(yaml: yaml, file: "configs/x.yaml")
      Issue.record("loaded")
    } catch {
      let lines = error.description.split(separator: "\n")
      #expect(error.issues.count == 3000)
      #expect(lines.count == 21)
      #expect(lines.last == "configs/x.yaml:32:45: (document): and 2980 more problems; fix these and run again")
      for line in lines { #expect(line.wholeMatch(of: /configs\/x\.yaml:\d+:\d+: .+/) != nil) }
    }
  }
}
