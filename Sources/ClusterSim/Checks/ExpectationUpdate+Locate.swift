import Yams

extension ExpectationUpdate {
  /// Finds, in a freshly parsed document, the scalars an outcome's update rewrites, and says
  /// (located) why one cannot be rewritten safely.
  struct Locator {
    let source: YAMLSource
    let file: String
    /// The document's `expect:` list, its place among the top-level pairs, and whether it (or
    /// the document) is written in flow style; nil when the document has none.
    let expect: (list: Node.Sequence, pair: Int, flow: Bool)?
    var issues: [ConfigIssue] = []

    init(root: Node, source: YAMLSource, file: String) {
      self.source = source
      self.file = file
      if case .mapping(let top) = root,
        let pair = top.firstIndex(where: { $0.key.string == "expect" }),
        case .sequence(let list) = top[pair].value
      {
        let flow = Self.isFlow(root, in: source) || Self.isFlow(.sequence(list), in: source)
        expect = (list, top.distance(from: top.startIndex, to: pair), flow)
      } else {
        expect = nil
      }
    }

    mutating func report(_ line: Int, _ column: Int, _ path: String, _ message: String) {
      issues.append(
        ConfigIssue(file: file, line: line, column: column, keyPath: path, message: message))
    }

    /// The edits `outcome` needs; none (and an issue) when its value cannot be rewritten.
    mutating func edits(for outcome: CheckOutcome) -> [Edit] {
      let e = outcome.expectation
      let changed = "the file changed since check read it; run check again"
      guard let (list, expectPair, listFlow) = expect,
        let entryIndex = list.firstIndex(where: {
          $0.mark?.line == e.line && $0.mark?.column == e.column
        }),
        case .mapping(let entry) = list[entryIndex]
      else {
        report(e.line, e.column, "expect", changed)
        return []
      }
      let where_ = "expect[\(entryIndex)]"
      let pairs = Array(entry)
      let short = pairs.count == 1 && pairs[0].key.string != "path"
      let valuePair =
        short ? 0 : pairs.firstIndex(where: { $0.key.string == "value" })
      let pathText =
        short ? pairs[0].key.string : pairs.first(where: { $0.key.string == "path" })?.value.string
      guard let valuePair, pathText == e.path else {
        report(e.line, e.column, where_, changed)
        return []
      }
      let key = pairs[valuePair].key
      let value = pairs[valuePair].value
      let flow = listFlow || Self.isFlow(.mapping(entry), in: source)
      let treePath = [2 * expectPair + 1, entryIndex, 2 * valuePair + 1]
      // An alias (`*a`) stands for its anchor's node, which comes earlier in the file.
      if let keyMark = key.mark, let valueMark = value.mark,
        (valueMark.line, valueMark.column) < (keyMark.line, keyMark.column)
      {
        report(
          keyMark.line, keyMark.column, where_,
          "the expected value is an alias of the value at line \(valueMark.line); update it by hand"
        )
        return []
      }
      switch outcome.update {
      case .none:
        return []
      case .number(let actual):
        guard case .scalar(let scalar) = value else { return [] }
        guard actual.isFinite else {
          report(
            e.valueLine, e.valueColumn, where_,
            "the actual value is \(actual), not a number to write; update it by hand")
          return []
        }
        guard
          let text = Self.numberReplaced(
            in: scalar.string, by: written(actual, for: e.test), test: e.test)
        else {
          report(
            e.valueLine, e.valueColumn, where_,
            "cannot find the number of \(e.path); update it by hand")
          return []
        }
        guard text != scalar.string else { return [] }
        return edit(scalar, at: treePath, to: text, flow: flow, where_).map { [$0] } ?? []
      case .text(let name):
        guard case .scalar(let scalar) = value, scalar.string != name else { return [] }
        guard case .success(.text(name)) = ExpectationSyntax.parse(name, textual: true) else {
          report(
            e.valueLine, e.valueColumn, where_,
            "the actual value \(ConfigValue.quoted(name)) would not read back as that text; update it by hand"
          )
          return []
        }
        return edit(scalar, at: treePath, to: name, flow: flow, where_).map { [$0] } ?? []
      case .order(let names):
        guard case .sequence(let items) = value, items.count == names.count else {
          report(
            e.valueLine, e.valueColumn, where_,
            "the order is not a list of \(names.count) names; update it by hand")
          return []
        }
        var edits: [Edit] = []
        for (index, (item, name)) in zip(items, names).enumerated() {
          guard case .scalar(let scalar) = item, scalar.string != name else { continue }
          guard
            let edit = edit(
              scalar, at: treePath + [index], to: name, flow: flow || Self.isFlow(value, in: source), where_)
          else { return [] }
          edits.append(edit)
        }
        return edits
      }
    }

    /// The edit that rewrites `scalar` to `value`, or nil (and an issue) when its bytes cannot be
    /// found: a block scalar, or a plain scalar folded over several lines.
    mutating func edit(
      _ scalar: Node.Scalar, at treePath: [Int], to value: String, flow: Bool, _ where_: String
    ) -> Edit? {
      guard let mark = scalar.mark, let start = source.offset(line: mark.line, column: mark.column)
      else {
        report(1, 1, where_, "cannot locate the value in the file; update it by hand")
        return nil
      }
      guard let span = source.scalarSpan(from: start, flow: flow),
        scalar.style != .plain
          || String(decoding: source.bytes[span], as: UTF8.self) == scalar.string
      else {
        report(
          mark.line, mark.column, where_,
          "the value is a block scalar or spans several lines; write it on one line or update it by hand"
        )
        return nil
      }
      return Edit(
        treePath: treePath, span: span, value: value,
        replacement: YAMLScalarText.written(value, preferring: scalar.style, flow: flow))
    }

    /// Whether a collection is in flow style, read from its bytes.
    static func isFlow(_ node: Node, in source: YAMLSource) -> Bool {
      guard let mark = node.mark else { return false }
      return source.isFlowCollection(line: mark.line, column: mark.column)
    }

    /// `text` (an expected value: `95642.1 ± 1%`, `<= 3e5`, `== 8`) with its number replaced by
    /// `number`, the rest kept; nil when the number is not found, the value is already equal, or
    /// the new text would not read back as the same test with the new number.
    static func numberReplaced(in text: String, by number: String, test: ExpectationTest) -> String?
    {
      guard let span = ExpectationSyntax.numberSpan(in: text, from: 0),
        let newValue = ExpectationSyntax.number(number)
      else { return nil }
      var characters = Array(text)
      let old = ExpectationSyntax.number(String(characters[span]))
      characters.replaceSubrange(span, with: Array(number))
      let replaced = String(characters)
      guard old != newValue else { return text }
      guard case .success(let reread) = ExpectationSyntax.parse(replaced, textual: false),
        reread == test.replacingNumber(newValue)
      else { return nil }
      return replaced
    }
  }
}

extension ExpectationTest {
  /// The same test about another number (a bound or tolerance kept).
  func replacingNumber(_ value: Double) -> ExpectationTest {
    switch self {
    case .near(_, let tolerance): .near(value, tolerance)
    case .exact: .exact(value)
    case .bound(let comparison, _): .bound(comparison, value)
    case .text, .order: self
    }
  }
}
