/// "Did you mean" suggestions for misspelt keys and names.
enum Suggestion {
  /// The candidate closest to `word` by edit distance, if it is close enough to be a plausible
  /// typo (at most a third of the longer word's length, and at least one character).
  static func nearest(to word: String, in candidates: [String]) -> String? {
    let lowered = word.lowercased()
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      let distance = editDistance(lowered, candidate.lowercased())
      if let current = best, current.distance <= distance { continue }
      best = (candidate, distance)
    }
    guard let best else { return nil }
    let limit = max(1, max(word.count, best.candidate.count) / 3)
    return best.distance <= limit ? best.candidate : nil
  }

  /// `; did you mean "x"?` or the empty string.
  static func didYouMean(_ word: String, in candidates: [String]) -> String {
    nearest(to: word, in: candidates).map { "; did you mean \"\($0)\"?" } ?? ""
  }

  /// Levenshtein distance (insertions, deletions and substitutions cost 1), O(n·m).
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
