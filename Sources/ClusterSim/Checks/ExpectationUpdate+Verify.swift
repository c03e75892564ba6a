import Yams

extension ExpectationUpdate {
  /// Parses the updated bytes and compares them with the original document: the same tree,
  /// node for node, except the edited scalars, which must read back as their new values. Nil
  /// when that holds; otherwise the located reason the update is refused.
  static func verify(
    _ output: [UInt8], against original: Node, edits: [Edit], source: YAMLSource, file: String
  ) -> ConfigIssue? {
    guard let first = edits.first else { return nil }
    let (line, column) = source.position(of: first.span.lowerBound)
    func refused(_ message: String) -> ConfigIssue {
      ConfigIssue(
        file: file, line: line, column: column, keyPath: "expect",
        message: "\(message); nothing was written, update it by hand")
    }
    let updated: Node
    do {
      guard let composed = try Yams.compose(yaml: YAMLSource(bytes: output).text) else {
        return refused("the updated file would be empty")
      }
      updated = composed
    } catch {
      return refused("the updated file would not parse")
    }
    var differences: [(path: [Int], node: Node)] = []
    guard sameShape(original, updated, at: [], differences: &differences) else {
      return refused("the update would change the file's structure")
    }
    let wanted = Dictionary(edits.map { ($0.treePath, $0.value) }, uniquingKeysWith: { a, _ in a })
    for difference in differences {
      guard let value = wanted[difference.path], difference.node.string == value else {
        let mark = difference.node.mark
        return refused(
          "the update would also change the value at line \(mark?.line ?? 0), column \(mark?.column ?? 0) "
            + "(an alias of the expected value?)")
      }
    }
    guard differences.count == edits.count else {
      return refused("an updated value did not read back as written")
    }
    return nil
  }

  /// Whether `a` and `b` have the same structure (kinds, lengths, tags), collecting the paths of
  /// the scalars whose text, tag or style differ.
  static func sameShape(
    _ a: Node, _ b: Node, at path: [Int], differences: inout [(path: [Int], node: Node)]
  ) -> Bool {
    switch (a, b) {
    case (.scalar(let x), .scalar(let y)):
      if x.string != y.string || x.tag != y.tag || x.style != y.style {
        differences.append((path, b))
      }
      return true
    case (.mapping(let x), .mapping(let y)):
      guard x.count == y.count, x.tag == y.tag else { return false }
      for (index, (p, q)) in zip(x, y).enumerated() {
        guard sameShape(p.key, q.key, at: path + [2 * index], differences: &differences),
          sameShape(p.value, q.value, at: path + [2 * index + 1], differences: &differences)
        else { return false }
      }
      return true
    case (.sequence(let x), .sequence(let y)):
      guard x.count == y.count, x.tag == y.tag else { return false }
      for (index, (p, q)) in zip(x, y).enumerated() {
        guard sameShape(p, q, at: path + [index], differences: &differences) else { return false }
      }
      return true
    default:
      return false
    }
  }
}
