import Foundation
import Yams

/// Writes a string as YAML scalar text that a YAML 1.1 parser reads back as exactly that string:
/// plain where the YAML grammar allows it, otherwise quoted, with every character that quoting
/// needs escaped (YAML 1.1 §4.6.8 plain, §4.6.6 single-quoted, §4.6.5 double-quoted and its
/// escapes).
public enum YAMLScalarText {
  /// `text` written in `style` when that style can carry it (plain only where `plainSafe`;
  /// single-quoted only without line breaks or non-printable characters), else double-quoted.
  public static func written(_ text: String, preferring style: Node.Scalar.Style, flow: Bool)
    -> String
  {
    switch style {
    case .plain, .any:
      if plainSafe(text, flow: flow) { return text }
    case .singleQuoted:
      if text.unicodeScalars.allSatisfy(printableInline) {
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
      }
    case .doubleQuoted, .literal, .folded:
      break
    }
    return doubleQuoted(text)
  }

  /// `text` between double quotes, with `\` and `"` escaped and every character outside the
  /// printable set as an escape (`\n`, `\t`, `\N`, `\L`, `\P`, `\xNN`, `\uNNNN`).
  public static func doubleQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{85}": out += "\\N"
      case "\u{2028}": out += "\\L"
      case "\u{2029}": out += "\\P"
      default:
        if printableInline(scalar) {
          out.unicodeScalars.append(scalar)
        } else if scalar.value <= 0xFF {
          out += "\\x" + hex(scalar.value, digits: 2)
        } else if scalar.value <= 0xFFFF {
          out += "\\u" + hex(scalar.value, digits: 4)
        } else {
          out += "\\U" + hex(scalar.value, digits: 8)
        }
      }
    }
    return out + "\""
  }

  static func hex(_ value: UInt32, digits: Int) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
  }

  /// Printable on one line (YAML's `c-printable` less line breaks, tab and the byte-order mark).
  static func printableInline(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x20...0x7E: true
    case 0xA0...0xD7FF: scalar.value != 0x2028 && scalar.value != 0x2029
    case 0xE000...0xFFFD: scalar.value != 0xFEFF
    case 0x10000...0x10FFFF: true
    default: false
    }
  }

  /// Whether `text` may stand unquoted and read back as itself: printable on one line, no
  /// leading or trailing space, not starting with an indicator (`-`, `?`, `:` only before a
  /// character that is safe), no `: ` or ` #`, no trailing `:`, no flow indicator inside a flow
  /// collection; and not a word YAML 1.1 reads as another type's value (`null`, `~`, `yes`, `off`,
  /// ...) when the text is meant as that word.
  public static func plainSafe(_ text: String, flow: Bool) -> Bool {
    let scalars = Array(text.unicodeScalars)
    guard let first = scalars.first, let last = scalars.last,
      scalars.allSatisfy(printableInline), first != " ", last != " ", last != ":"
    else { return false }
    let indicators: Set<Unicode.Scalar> = [
      "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@",
      "`",
    ]
    if indicators.contains(first) {
      guard "-?:".unicodeScalars.contains(first), scalars.count > 1, scalars[1] != " ",
        !(flow && "[]{},".unicodeScalars.contains(scalars[1]))
      else { return false }
    }
    for (index, scalar) in scalars.enumerated() {
      if flow, "[]{},".unicodeScalars.contains(scalar) { return false }
      if scalar == ":", index + 1 < scalars.count, scalars[index + 1] == " " { return false }
      if scalar == "#", index > 0, scalars[index - 1] == " " { return false }
    }
    return !reservedWords.contains(text.lowercased())
  }

  /// Plain words that YAML 1.1's core schema reads as null, booleans or special floats.
  static let reservedWords: Set<String> = [
    "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".nan", ".inf", "-.inf",
    "+.inf",
  ]
}
