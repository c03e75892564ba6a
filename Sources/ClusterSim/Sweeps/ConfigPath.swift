import Foundation
import Yams

/// A key path into a config document (`docs/sweeps.md`, "Key paths"): keys joined by dots, a
/// list item picked by its position or its name in brackets (`cluster.pools[0].price_per_gpu_hour`,
/// `cluster.pools[h800].spare_nodes`, `phases[pretrain].parallelism.tp`).
///
/// A key may hold letters, digits, `_` and `-` (`chips.H100-SXM5-80GB.memory_gb`); any other key
/// is quoted, `chips."My chip".memory_gb`. In brackets, digits are a position and anything else
/// up to the `]` is a name (`phases[pre.train]`); a quoted name is always a name, never a
/// position, and may hold `]` or `"` escaped as `\"` (`phases["0"]`, `phases["a]b"]`). On a
/// mapping, a bracketed name is a key (`chips["H100-SXM5-80GB"]`). A path has at most
/// `maximumSteps` steps and `maximumCharacters` characters, so nothing it drives grows with it.
public struct ConfigPath: Sendable, Hashable, CustomStringConvertible {
  public enum Step: Sendable, Hashable {
    case key(String)
    case index(Int)
    case named(String)
  }

  public var steps: [Step]

  /// The most steps and characters a key path may have (a config is a few levels deep).
  public static let maximumSteps = 64
  public static let maximumCharacters = 1_000

  public init(steps: [Step]) {
    self.steps = steps
  }

  public init(_ text: String, flag: String) throws(SweepError) {
    let shown = ConfigValue.quoted(text, limit: 60)
    func fail(_ message: String) -> SweepError {
      SweepError(
        flag: flag,
        "\(shown): \(message); a key path is keys joined by dots, a list item picked by [index] "
          + "or [name], a key or name with other characters quoted, e.g. phases[\"pre.train\"].gpus"
      )
    }
    guard text.count <= Self.maximumCharacters else {
      throw fail("longer than \(Self.maximumCharacters) characters")
    }
    var parser = Parser(characters: Array(text))
    var steps: [Step] = []
    var expectKey = true
    while !parser.atEnd || expectKey {
      guard steps.count < Self.maximumSteps else {
        throw fail("more than \(Self.maximumSteps) keys and selectors")
      }
      if expectKey {
        guard let key = try parser.key(fail) else {
          throw fail(
            parser.atEnd
              ? "ends without a key" : "\(ConfigValue.quoted(parser.rest, limit: 20)) is not a key")
        }
        steps.append(.key(key))
        expectKey = false
      } else if parser.take("[") {
        steps.append(try parser.selector(fail))
      } else if parser.take(".") {
        expectKey = true
      } else {
        throw fail("unexpected \(ConfigValue.quoted(parser.rest, limit: 20)) after a key or ]")
      }
    }
    self.steps = steps
  }

  /// The path written back: keys bare when they can be, names quoted when they could be read
  /// as a position or hold a character the syntax uses.
  public var description: String {
    var text = ""
    for step in steps {
      switch step {
      case .key(let key):
        if !text.isEmpty { text += "." }
        text += Self.isBare(key) ? key : Self.quoting(key)
      case .index(let index): text += "[\(index)]"
      case .named(let name):
        let plain =
          Int(name) == nil && !name.isEmpty && !name.contains(where: { "[]\".".contains($0) })
        text += "[" + (plain ? name : Self.quoting(name)) + "]"
      }
    }
    return text
  }

  static func isBare(_ key: String) -> Bool {
    !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
  }

  static func quoting(_ text: String) -> String {
    "\""
      + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
        of: "\"", with: "\\\"")
      + "\""
  }

  /// Reads a key path character by character: no recursion, one pass.
  struct Parser {
    let characters: [Character]
    var position = 0

    var atEnd: Bool { position >= characters.count }
    var rest: String { String(characters[position...]) }

    mutating func take(_ character: Character) -> Bool {
      guard !atEnd, characters[position] == character else { return false }
      position += 1
      return true
    }

    /// A bare or quoted key; nil when none starts here.
    mutating func key(_ fail: (String) -> SweepError) throws(SweepError) -> String? {
      if take("\"") { return try quoted(fail) }
      let start = position
      while !atEnd, ConfigPath.isBare(String(characters[position])) { position += 1 }
      return position > start ? String(characters[start..<position]) : nil
    }

    /// The rest of a quoted string after its opening quote, `\"` and `\\` unescaped.
    mutating func quoted(_ fail: (String) -> SweepError) throws(SweepError) -> String {
      var text = ""
      while !atEnd {
        let character = characters[position]
        position += 1
        if character == "\"" { return text }
        if character == "\\", !atEnd {
          text.append(characters[position])
          position += 1
        } else {
          text.append(character)
        }
      }
      throw fail("a quote is not closed")
    }

    /// The selector after `[`, through its `]`.
    mutating func selector(_ fail: (String) -> SweepError) throws(SweepError) -> Step {
      if take("\"") {
        let name = try quoted(fail)
        guard take("]") else {
          throw fail("expected ] after the quoted name \(ConfigValue.quoted(name))")
        }
        return .named(name)
      }
      let start = position
      while !atEnd, characters[position] != "]" { position += 1 }
      guard !atEnd else { throw fail("a [ is not closed") }
      let selector = String(characters[start..<position])
      position += 1
      guard !selector.isEmpty else { throw fail("an empty []") }
      return Int(selector).map(Step.index) ?? .named(selector)
    }
  }
}
