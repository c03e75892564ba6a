import Yams

/// A key path into a config document: keys separated by dots, a list item selected by its
/// position or its name (`cluster.pools[0].price_per_gpu_hour`, `cluster.pools[h800].spare_nodes`,
/// `phases[pretrain].parallelism.tp`).
public struct ConfigPath: Sendable, Hashable, CustomStringConvertible {
  public enum Step: Sendable, Hashable {
    case key(String)
    case index(Int)
    case named(String)
  }

  public var steps: [Step]

  public init(_ text: String, flag: String) throws(SweepError) {
    var steps: [Step] = []
    for segment in text.split(separator: ".", omittingEmptySubsequences: false) {
      var rest = Substring(segment)
      guard let keyEnd = rest.firstIndex(of: "[") ?? Optional(rest.endIndex) else { break }
      let key = rest[..<keyEnd]
      guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
        throw SweepError(
          flag: flag,
          "\(text): \"\(segment)\" is not a key; a key path is keys joined by dots, a list item "
            + "picked by [index] or [name], e.g. phases[pretrain].parallelism.tp")
      }
      steps.append(.key(String(key)))
      rest = rest[keyEnd...]
      while rest.first == "[" {
        guard let close = rest.firstIndex(of: "]") else {
          throw SweepError(flag: flag, "\(text): unclosed [ in \"\(segment)\"")
        }
        let selector = String(rest[rest.index(after: rest.startIndex)..<close])
        guard !selector.isEmpty else { throw SweepError(flag: flag, "\(text): empty [] in \"\(segment)\"") }
        steps.append(Int(selector).map(Step.index) ?? .named(selector))
        rest = rest[rest.index(after: close)...]
      }
      guard rest.isEmpty else {
        throw SweepError(flag: flag, "\(text): unexpected \"\(rest)\" after ] in \"\(segment)\"")
      }
    }
    self.steps = steps
  }

  public var description: String {
    var text = ""
    for step in steps {
      switch step {
      case .key(let key): text += (text.isEmpty ? "" : ".") + key
      case .index(let index): text += "[\(index)]"
      case .named(let name): text += "[\(name)]"
      }
    }
    return text
  }

  /// `root` with the value at this path set to the plain scalar `value`; a missing key at the
  /// end (or a missing mapping on the way) is added. Throws when a selector matches no item or
  /// the path walks through a value that has no keys.
  public func setting(_ value: String, in root: Node, flag: String) throws(SweepError) -> Node {
    let scalar = Node.scalar(Node.Scalar(value, Tag(.implicit), .plain))
    return try Self.set(scalar, at: steps[...], in: root, walked: "", flag: flag, whole: self)
  }

  static func set(
    _ value: Node, at steps: ArraySlice<Step>, in node: Node, walked: String, flag: String,
    whole: ConfigPath
  ) throws(SweepError) -> Node {
    guard let step = steps.first else { return value }
    let rest = steps.dropFirst()
    func fail(_ message: String) -> SweepError {
      SweepError(flag: flag, "\(whole): \(message)")
    }
    switch step {
    case .key(let key):
      guard var mapping = node.mapping else {
        throw fail("\(walked.isEmpty ? "the config" : walked) has no keys (it is not a mapping)")
      }
      let here = walked.isEmpty ? key : "\(walked).\(key)"
      let child = mapping[Node(key)] ?? Node([(Node, Node)]())
      mapping[Node(key)] = try set(value, at: rest, in: child, walked: here, flag: flag, whole: whole)
      return .mapping(mapping)
    case .index(let index):
      guard var sequence = node.sequence else { throw fail("\(walked) is not a list") }
      guard sequence.indices.contains(index) else {
        throw fail("\(walked) has \(sequence.count) items; [\(index)] must be 0 to \(sequence.count - 1)")
      }
      sequence[index] = try set(
        value, at: rest, in: sequence[index], walked: "\(walked)[\(index)]", flag: flag, whole: whole)
      return .sequence(sequence)
    case .named(let name):
      guard var sequence = node.sequence else { throw fail("\(walked) is not a list") }
      let names = sequence.compactMap { $0.mapping?[Node("name")]?.scalar?.string }
      guard let position = sequence.firstIndex(where: { $0.mapping?[Node("name")]?.scalar?.string == name })
      else {
        throw fail(
          "no item of \(walked) is named \"\(name)\"\(Suggestion.didYouMean(name, in: names)) "
            + "(names: \(names.joined(separator: ", ")))")
      }
      sequence[position] = try set(
        value, at: rest, in: sequence[position], walked: "\(walked)[\(name)]", flag: flag,
        whole: whole)
      return .sequence(sequence)
    }
  }
}
