/// A JSON document with keys kept in the order they were written, so output is stable and
/// diffable (Foundation's encoder does not promise an order).
public indirect enum JSONValue: Sendable, Hashable {
  case object([(String, JSONValue)])
  case array([JSONValue])
  case string(String)
  case number(Double)
  case integer(Int64)
  case unsigned(UInt64)
  case bool(Bool)
  case null

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    lhs.rendered() == rhs.rendered()
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(rendered())
  }

  /// The document as text: two-space indentation, one key per line, a final newline is not added.
  public func rendered(indent: String = "") -> String {
    switch self {
    case .object(let members):
      guard !members.isEmpty else { return "{}" }
      let inner = indent + "  "
      let lines = members.map { key, value in
        "\(inner)\(JSONValue.quote(key)): \(value.rendered(indent: inner))"
      }
      return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
    case .array(let elements):
      guard !elements.isEmpty else { return "[]" }
      let inner = indent + "  "
      let lines = elements.map { inner + $0.rendered(indent: inner) }
      return "[\n" + lines.joined(separator: ",\n") + "\n\(indent)]"
    case .string(let text):
      return JSONValue.quote(text)
    case .number(let number):
      // Swift prints the shortest text that reads back to the same Double; JSON has no NaN or
      // infinity, so those become null.
      return number.isFinite ? "\(number)" : "null"
    case .integer(let number):
      return "\(number)"
    case .unsigned(let number):
      return "\(number)"
    case .bool(let flag):
      return flag ? "true" : "false"
    case .null:
      return "null"
    }
  }

  /// A JSON string literal (RFC 8259 §7).
  static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
