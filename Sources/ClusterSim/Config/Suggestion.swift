/// "Did you mean" suggestions for misspelt keys and names.
public enum Suggestion {
  /// The candidate the user most likely meant: the only one that `word` is a prefix of (`H800`
  /// for `H800-SXM5-80GB`), else the closest by edit distance when that is a plausible typo (at
  /// most a third of the longer word's length, and at least one edit).
  public static func nearest(to word: String, in candidates: [String]) -> String? {
    // No name is this long: a pasted value, not a typo (and edit distance is O(n·m)).
    guard word.count <= 200 else { return nil }
    let lowered = word.lowercased()
    let extensions = candidates.filter { $0.lowercased().hasPrefix(lowered) && $0 != word }
    if !lowered.isEmpty, extensions.count == 1 { return extensions[0] }
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
  public static func didYouMean(_ word: String, in candidates: [String]) -> String {
    nearest(to: word, in: candidates).map { "; did you mean \"\($0)\"?" } ?? ""
  }

  /// Optimal string alignment distance: insertions, deletions, substitutions and transpositions
  /// of neighbours cost 1 (Damerau 1964, restricted form), so `perp` is one edit from `prep`.
  /// O(n·m) time and memory.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
        }
      }
    }
    return d[a.count][b.count]
  }
}
