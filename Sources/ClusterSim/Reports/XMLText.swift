/// Text made safe for XML and HTML, the one escaper of every report that writes markup (the
/// JUnit file, the Gantt and sweep SVGs, the HTML page).
///
/// `&`, `<`, `>`, `"` and `'` become references (XML 1.0 §2.4; HTML's "escaping a string"). XML
/// 1.0 cannot carry other control characters (§2.2, `Char`), so they are dropped, as are U+FFFE
/// and U+FFFF. In an attribute a newline or tab becomes a character reference, since a parser
/// normalises a literal one to a space (§3.3.3); in text it stays as written.
enum XMLText {
  /// `text` for an element's content.
  static func text(_ text: String) -> String { escaped(text, attribute: false) }

  /// `value` for a double- or single-quoted attribute.
  static func attribute(_ value: String) -> String { escaped(value, attribute: true) }

  private static func escaped(_ text: String, attribute: Bool) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n": out += attribute ? "&#10;" : "\n"
      case "\t": out += attribute ? "&#9;" : "\t"
      default:
        if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
