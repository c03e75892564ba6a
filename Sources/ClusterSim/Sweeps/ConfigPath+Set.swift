import Yams

extension ConfigPath {
  /// Where one step of a path landed: a key of a mapping or an item of a list.
  private enum Slot {
    case key(Node.Mapping, String)
    case item(Node.Sequence, Int)
  }

  /// `root` with the value at this path set to the plain scalar `value`; a missing key at the
  /// end (or a missing mapping on the way) is added. Throws when a selector matches no item or
  /// the path walks through a value that has no keys.
  ///
  /// Walks down once, remembering each parent, then rebuilds the parents upwards: no recursion,
  /// so the depth of a path costs memory in proportion, never stack.
  public func setting(_ value: String, in root: Node, flag: String) throws(SweepError) -> Node {
    let whole = ConfigValue.excerpt(description, limit: 60)
    func fail(_ message: String) -> SweepError {
      SweepError(flag: flag, "\(whole): \(message)")
    }
    var slots: [Slot] = []
    var node = root
    var walked = ConfigPath(steps: [])
    for step in steps {
      let here = ConfigValue.excerpt(
        walked.steps.isEmpty ? "the config" : walked.description, limit: 60)
      switch (step, node) {
      case (.key(let key), .mapping(let mapping)), (.named(let key), .mapping(let mapping)):
        slots.append(.key(mapping, key))
        node = mapping[Node(key)] ?? Node([(Node, Node)]())
      case (.index(let index), .mapping(let mapping)):
        slots.append(.key(mapping, String(index)))
        node = mapping[Node(String(index))] ?? Node([(Node, Node)]())
      case (.index(let index), .sequence(let sequence)):
        guard sequence.indices.contains(index) else {
          throw fail(
            sequence.isEmpty
              ? "\(here) is an empty list"
              : "\(here) has \(sequence.count) items; [\(index)] must be 0 to \(sequence.count - 1)"
          )
        }
        slots.append(.item(sequence, index))
        node = sequence[index]
      case (.named(let name), .sequence(let sequence)):
        let names = sequence.compactMap { $0.mapping?[Node("name")]?.scalar?.string }
        guard
          let position = sequence.firstIndex(where: {
            $0.mapping?[Node("name")]?.scalar?.string == name
          })
        else {
          throw fail(
            "no item of \(here) is named \(ConfigValue.quoted(name))"
              + "\(Suggestion.didYouMean(name, in: names)) (names: "
              + ConfigValue.excerpt(names.joined(separator: ", "), limit: 200) + ")")
        }
        slots.append(.item(sequence, position))
        node = sequence[position]
      case (.key(let key), .sequence):
        throw fail(
          "\(here) is a list: pick an item with [index] or [name] before .\(ConfigValue.excerpt(key))"
        )
      case (.key, _), (.named, _), (.index, _):
        throw fail("\(here) has no keys (it is not a mapping)")
      }
      walked.steps.append(step)
    }
    var result = Node.scalar(Node.Scalar(value, Tag(.implicit), .plain))
    for slot in slots.reversed() {
      switch slot {
      case .key(var mapping, let key):
        mapping[Node(key)] = result
        result = .mapping(mapping)
      case .item(var sequence, let index):
        sequence[index] = result
        result = .sequence(sequence)
      }
    }
    return result
  }
}
