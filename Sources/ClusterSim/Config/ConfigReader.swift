import Foundation
import Yams

/// A YAML node together with where it sits: its key path and its position in the file.
struct ConfigValue {
  var node: Node
  /// `cluster.pools[0].nodes`, `phases[2]`, ...
  var path: String
  var line: Int
  var column: Int

  init(node: Node, path: String, fallback: (line: Int, column: Int)) {
    self.node = node
    self.path = path
    line = node.mark?.line ?? fallback.line
    column = node.mark?.column ?? fallback.column
  }

  /// The key path of a child: `path.key`, or `key` at the top level.
  func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// What the node is, for messages: `"abc"` (an excerpt of at most 40 characters, control
  /// characters escaped), `a mapping`, `a list`, `nothing`.
  var shown: String {
    switch node {
    case .scalar(let scalar):
      node.null != nil && scalar.style == .plain ? "nothing" : Self.quoted(scalar.string)
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .alias: "an alias"
    }
  }

  /// Whether every `_` in `text` stands between two (hex) digits, as in `1_000` or `0xff_ff`:
  /// the one rule for digit separators, in config numbers and in expected values.
  static func separatorsBetweenDigits(_ text: String) -> Bool {
    let characters = Array(text)
    for (index, character) in characters.enumerated() where character == "_" {
      let before = index > 0 ? characters[index - 1] : " "
      let after = index + 1 < characters.count ? characters[index + 1] : " "
      guard before.isASCII, before.isHexDigit, after.isASCII, after.isHexDigit else { return false }
    }
    return true
  }

  /// `text` for a one-line message: quoted, line breaks and other control characters escaped,
  /// cut to `limit` characters with an ellipsis.
  static func quoted(_ text: String, limit: Int = 40) -> String {
    "\"" + excerpt(text, limit: limit) + "\""
  }

  /// The first control character in `text` (with `separators`, also a line or paragraph
  /// separator) that `allowed` does not hold, as `U+001B`; nil when there is none. The one test
  /// for text that reaches a terminal: names, `--set` values, a sweep part's text.
  static func controlCharacter(
    in text: some StringProtocol, allowing allowed: Set<Unicode.Scalar> = [],
    separators: Bool = false
  ) -> String? {
    let found = text.unicodeScalars.first { scalar in
      let category = scalar.properties.generalCategory
      let refused =
        category == .control
        || (separators && (category == .lineSeparator || category == .paragraphSeparator))
      return refused && !allowed.contains(scalar)
    }
    return found.map { "U+" + String(format: "%04X", $0.value) }
  }

  /// `text` escaped and cut, unquoted (for key paths).
  static func excerpt(_ text: String, limit: Int = 40) -> String {
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
      let piece: String
      switch scalar {
      case "\n": piece = "\\n"
      case "\r": piece = "\\r"
      case "\t": piece = "\\t"
      default:
        piece =
          scalar.value < 0x20 || scalar.value == 0x7F
          ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
      }
      if count + piece.count > limit {
        out += "…"
        break
      }
      out += piece
      count += piece.count
    }
    return out
  }
}

/// Collects every problem found in one config file, so the user sees them all at once.
struct ConfigDiagnostics {
  let file: String
  private(set) var issues: [ConfigIssue] = []

  init(file: String) {
    self.file = file
  }

  /// Adds issues found in another file (an included one), which name that file.
  mutating func append(_ other: [ConfigIssue]) {
    issues += other
  }

  mutating func report(_ value: ConfigValue, _ message: String) {
    report(line: value.line, column: value.column, path: value.path, message)
  }

  mutating func report(line: Int, column: Int, path: String, _ message: String) {
    issues.append(
      ConfigIssue(
        file: file, line: line, column: column, keyPath: path.isEmpty ? "(document)" : path,
        message: Self.excerpted(message)))
  }

  /// `message` with every quoted run of more than 60 characters (a value echoed back) cut to a
  /// 40-character excerpt, so no message grows with the input.
  static func excerpted(_ message: String) -> String {
    guard message.utf8.count > 100 else { return message }
    // Segments between quotes alternate outside, inside, outside, ...; only long insides change.
    let segments = message.utf8.split(
      separator: UInt8(ascii: "\""), omittingEmptySubsequences: false)
    var out = ""
    for (index, segment) in segments.enumerated() {
      let text = String(decoding: segment, as: UTF8.self)
      if index % 2 == 0 {
        out += text
      } else if segment.count > 60 {
        out += index == segments.count - 1 ? "\"" + ConfigValue.excerpt(text) : ConfigValue.quoted(text)
      } else {
        out += "\"" + text + (index == segments.count - 1 ? "" : "\"")
      }
    }
    return out
  }
}

/// A YAML mapping whose keys are checked against the keys a section allows.
struct ConfigMapping {
  let value: ConfigValue
  /// Entries in document order, keyed by their string form.
  let entries: [(key: String, keyValue: ConfigValue, value: ConfigValue)]

  /// Reads `value` as a mapping, reporting keys outside `allowedKeys` with the nearest valid one.
  /// Returns nil (and reports) when the node is not a mapping.
  init?(_ value: ConfigValue, allowedKeys: [String], diagnostics: inout ConfigDiagnostics) {
    guard case .mapping(let mapping) = value.node else {
      diagnostics.report(
        value,
        "expected a mapping with keys \(allowedKeys.joined(separator: ", ")), got \(value.shown)")
      return nil
    }
    self.value = value
    var entries: [(key: String, keyValue: ConfigValue, value: ConfigValue)] = []
    for (keyNode, valueNode) in mapping {
      guard let key = keyNode.scalar?.string else {
        // A list or a mapping used as a key: said as such, never dumped.
        let keyValue = ConfigValue(node: keyNode, path: value.path, fallback: (value.line, value.column))
        diagnostics.report(
          keyValue, "a key must be a plain name, got \(keyValue.shown) (write the name alone)")
        continue
      }
      let keyValue = ConfigValue(
        node: keyNode, path: value.childPath(ConfigValue.excerpt(key)),
        fallback: (value.line, value.column))
      guard allowedKeys.contains(key) else {
        let hint =
          Suggestion.nearest(to: key, in: allowedKeys).map { "did you mean \"\($0)\"?" }
          ?? "valid keys are: \(allowedKeys.joined(separator: ", "))"
        diagnostics.report(keyValue, "unknown key \(ConfigValue.quoted(key)); \(hint)")
        continue
      }
      entries.append(
        (
          key, keyValue,
          ConfigValue(
            node: valueNode, path: value.childPath(key), fallback: (keyValue.line, keyValue.column))
        ))
    }
    self.entries = entries
  }

  /// The value under `key`, if present.
  subscript(key: String) -> ConfigValue? {
    entries.first { $0.key == key }?.value
  }

  /// Whether `key` is present.
  func has(_ key: String) -> Bool { self[key] != nil }

  /// The value under `key`, reporting `missing required key` at the mapping when absent.
  func required(_ key: String, _ diagnostics: inout ConfigDiagnostics) -> ConfigValue? {
    if let found = self[key] { return found }
    diagnostics.report(value, "missing required key \"\(key)\"")
    return nil
  }
}

extension ConfigValue {
  /// The elements of a list, each with its `path[i]`; reports and returns nil for anything else.
  func list(_ diagnostics: inout ConfigDiagnostics) -> [ConfigValue]? {
    guard case .sequence(let sequence) = node else {
      diagnostics.report(self, "expected a list, got \(shown)")
      return nil
    }
    return sequence.enumerated().map { index, element in
      ConfigValue(node: element, path: "\(path)[\(index)]", fallback: (line, column))
    }
  }

  /// A non-empty string with no control characters: a name (`prose` allows the line breaks and
  /// tabs of free text, such as a known miss's reason, but still no escape sequence).
  func string(_ diagnostics: inout ConfigDiagnostics, prose: Bool = false) -> String? {
    guard case .scalar(let scalar) = node, !(node.null != nil && scalar.style == .plain) else {
      diagnostics.report(self, "expected a name, got \(shown)")
      return nil
    }
    let text = scalar.string
    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
      diagnostics.report(self, "must not be empty")
      return nil
    }
    // Names reach terminals, tables and reports: an escape sequence would repaint the screen, a
    // line break split a one-line message.
    let allowed: Set<Unicode.Scalar> = prose ? ["\n", "\r", "\t", "\u{85}"] : []
    if let control = ConfigValue.controlCharacter(in: text, allowing: allowed) {
      diagnostics.report(
        self, "must be printable text, without control characters (found \(control)); remove it")
      return nil
    }
    return text
  }

  /// A finite number; YAML's `1e3`, `1_000` and `.5` forms are accepted. The scalar must be one
  /// YAML itself reads as a number (an int or a float, untagged or so tagged), so `!!str 4`, a
  /// foreign tag and `_2` are refused; `_` may only stand between digits.
  func number(_ diagnostics: inout ConfigDiagnostics) -> Double? {
    guard let (text, _) = numericText(&diagnostics) else { return nil }
    let lowered = text.lowercased()
    if [".inf", "+.inf", "-.inf", "inf", "+inf", "-inf", "infinity", "-infinity"].contains(lowered)
      || lowered.hasSuffix("nan")
    {
      diagnostics.report(self, "must be a finite number, got \(ConfigValue.excerpt(text))")
      return nil
    }
    guard let number = Double(text), number.isFinite else {
      diagnostics.report(self, "expected a number, got \(shown)")
      return nil
    }
    return number
  }

  /// The text of a scalar YAML reads as a number, its digit separators removed, and whether YAML
  /// reads it as an int: the one gate every config number passes (`number`, the seed), so they
  /// refuse the same things. Reports and returns nil for anything else.
  func numericText(_ diagnostics: inout ConfigDiagnostics) -> (text: String, isInteger: Bool)? {
    guard case .scalar(let scalar) = node, scalar.style == .plain, node.null == nil else {
      diagnostics.report(self, "expected a number, got \(shown)")
      return nil
    }
    let tag = node.tag.rawValue
    guard tag == Tag.Name.int.rawValue || tag == Tag.Name.float.rawValue else {
      let what =
        tag != Tag.Name.str.rawValue
        ? " (it is tagged \(ConfigValue.excerpt(tag)))"
        : Double(scalar.string) != nil ? " (it is tagged !!str; remove the tag)" : ""
      diagnostics.report(self, "expected a number, got \(shown)\(what)")
      return nil
    }
    guard Self.separatorsBetweenDigits(scalar.string) else {
      diagnostics.report(
        self, "expected a number, got \(shown); _ may only separate digits (1_000)")
      return nil
    }
    return (scalar.string.replacingOccurrences(of: "_", with: ""), tag == Tag.Name.int.rawValue)
  }

  /// A number greater than zero and within `bound`.
  func positiveNumber(atMost bound: ConfigBound, _ diagnostics: inout ConfigDiagnostics)
    -> Double?
  {
    guard let number = number(&diagnostics) else { return nil }
    guard number > 0 else {
      diagnostics.report(self, "must be positive, got \(Self.format(number))")
      return nil
    }
    return within(bound, number, &diagnostics)
  }

  /// A number zero or greater and within `bound`.
  func nonNegativeNumber(atMost bound: ConfigBound, _ diagnostics: inout ConfigDiagnostics)
    -> Double?
  {
    guard let number = number(&diagnostics) else { return nil }
    guard number >= 0 else {
      diagnostics.report(self, "must be zero or more, got \(Self.format(number))")
      return nil
    }
    return number == 0 ? 0 : within(bound, number, &diagnostics)
  }

  /// A fraction in (0, 1]; `of` names what it is a fraction of (`peak`), for the message.
  func fraction(of whole: String? = nil, _ diagnostics: inout ConfigDiagnostics) -> Double? {
    guard let number = number(&diagnostics) else { return nil }
    guard number > 0, number <= 1 else {
      let what = whole.map { "a fraction of \($0)" } ?? "a fraction"
      diagnostics.report(self, "must be \(what) between 0 and 1, got \(Self.format(number))")
      return nil
    }
    return number
  }

  /// `number` when `bound` holds it; otherwise reported with the bound and nil.
  private func within(
    _ bound: ConfigBound, _ number: Double, _ diagnostics: inout ConfigDiagnostics
  ) -> Double? {
    if let minimum = bound.minimum, number < minimum {
      diagnostics.report(
        self,
        "must be between \(Self.format(minimum)) and \(Self.format(bound.maximum)) "
          + "\(bound.unit), got \(Self.format(number))")
      return nil
    }
    guard number <= bound.maximum else {
      diagnostics.report(
        self,
        bound.minimum == nil
          ? "must be at most \(Self.format(bound.maximum)) \(bound.unit), got "
            + "\(Self.format(number)); check the unit"
          : "must be between \(Self.format(bound.minimum ?? 0)) and "
            + "\(Self.format(bound.maximum)) \(bound.unit), got \(Self.format(number))")
      return nil
    }
    return number
  }

  /// A whole number within `range`, reported with the range's bounds when outside it.
  func integer(in range: ClosedRange<Int>, _ diagnostics: inout ConfigDiagnostics) -> Int? {
    guard let number = number(&diagnostics) else { return nil }
    guard number.rounded() == number else {
      diagnostics.report(self, "must be a whole number, got \(Self.format(number))")
      return nil
    }
    guard number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
      let rule =
        range.lowerBound == 1
        ? "must be positive"
        : range.lowerBound == 0
          ? "must be zero or more"
          : "must be at least \(range.lowerBound)"
      if number < Double(range.lowerBound) {
        diagnostics.report(self, "\(rule), got \(Self.format(number))")
      } else {
        diagnostics.report(self, "must be at most \(range.upperBound), got \(Self.format(number))")
      }
      return nil
    }
    // Exact: a bound near Int.max is not representable as a Double, and Int(_:) would trap.
    guard let whole = Int(exactly: number) else {
      diagnostics.report(self, "must be at most \(range.upperBound), got \(Self.format(number))")
      return nil
    }
    return whole
  }

  /// Numbers as the user would write them: `512`, `0.45`, `1.2e+22`.
  static func format(_ number: Double) -> String {
    if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
    return "\(number)"
  }
}
