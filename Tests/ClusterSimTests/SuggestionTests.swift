import Testing

@testable import ClusterSim

@Suite struct SuggestionTests {
  @Test(arguments: [
    ("kitten", "sitting", 3), ("", "abc", 3), ("abc", "abc", 0), ("perp", "prep", 1),
    ("gpu", "gpus", 1), ("ca", "abc", 3),
  ])
  func editDistances(a: String, b: String, distance: Int) {
    #expect(Suggestion.editDistance(a, b) == distance)
  }

  @Test func suggestsPlausibleTyposOnly() {
    let keys = ["gpus", "gpu_hours", "hours", "name", "pool"]
    #expect(Suggestion.nearest(to: "gpu", in: keys) == "gpus")
    #expect(Suggestion.nearest(to: "GPUS", in: keys) == "gpus")
    #expect(Suggestion.nearest(to: "wibble", in: keys) == nil)
    #expect(Suggestion.nearest(to: "H100", in: ["H100-SXM5-80GB", "H800-SXM5-80GB"]) == "H100-SXM5-80GB")
  }
}
