/// The bytes of a YAML file, addressed the way the parser addresses them, so that an edit can
/// name exactly the bytes of one value.
///
/// libyaml (inside Yams) reports a node's position as a 1-based line and column. It counts a
/// column per Unicode scalar (not per byte, not per grapheme), starts line 1 after a UTF-8
/// byte-order mark, and breaks lines at LF, CR, CR LF (one break), NEL (U+0085), LS (U+2028) and
/// PS (U+2029): `IS_BREAK` and `SKIP_LINE` in libyaml's `yaml_private.h`, after YAML 1.1 §4.1.4.
/// This type applies the same rules to the raw bytes, so `offset(line:column:)` is the byte where
/// the parser saw that position.
public struct YAMLSource: Sendable {
  public let bytes: [UInt8]
  /// The byte offset where each line starts (line 1 at index 0, after any byte-order mark).
  let lineStarts: [Int]

  /// The UTF-8 byte-order mark.
  static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  public init(bytes: [UInt8]) {
    self.bytes = bytes
    var starts = [bytes.starts(with: Self.byteOrderMark) ? 3 : 0]
    var index = starts[0]
    while index < bytes.count {
      let width = Self.breakWidth(bytes, at: index)
      if width > 0 {
        index += width
        starts.append(index)
      } else {
        index += 1
      }
    }
    lineStarts = starts
  }

  /// The bytes of a line break at `index` (2 for CR LF and NEL, 3 for LS and PS), or 0.
  static func breakWidth(_ bytes: [UInt8], at index: Int) -> Int {
    switch bytes[index] {
    case 0x0A: return 1
    case 0x0D: return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
    case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0x85 ? 2 : 0
    case 0xE2:
      guard index + 2 < bytes.count, bytes[index + 1] == 0x80,
        bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
      else { return 0 }
      return 3
    default: return 0
    }
  }

  /// Whether the byte starts a line break.
  func isBreak(at index: Int) -> Bool { Self.breakWidth(bytes, at: index) > 0 }

  /// The byte offset of the parser's 1-based `line` and `column` (a column counts Unicode
  /// scalars), or nil when the position is not in the file.
  public func offset(line: Int, column: Int) -> Int? {
    guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
    var index = lineStarts[line - 1]
    var remaining = column - 1
    while remaining > 0 {
      guard index < bytes.count, !isBreak(at: index) else { return nil }
      index += Self.scalarWidth(bytes[index])
      remaining -= 1
    }
    return index <= bytes.count ? index : nil
  }

  /// The bytes of the UTF-8 sequence that `lead` starts.
  static func scalarWidth(_ lead: UInt8) -> Int {
    switch lead {
    case 0xF0...: 4
    case 0xE0...: 3
    case 0xC0...: 2
    default: 1
    }
  }

  /// Where the text of a scalar node starts and ends, from the byte its mark points at. The
  /// mark may point at the node's properties (an anchor `&a`, a tag `!!str`): they are skipped.
  /// Quoted scalars run to their closing quote; a plain scalar runs to the end of its line, a
  /// comment, a `: `, or (inside a flow collection) a flow indicator. Block scalars (`|`, `>`) and
  /// anything else give nil. The caller compares the text found with the parsed value.
  public func scalarSpan(from start: Int, flow: Bool) -> Range<Int>? {
    let index = afterProperties(start)
    guard index < bytes.count else { return nil }
    switch bytes[index] {
    case UInt8(ascii: "\""):
      var end = index + 1
      while end < bytes.count {
        if bytes[end] == UInt8(ascii: "\\") {
          end += 2
          continue
        }
        if bytes[end] == UInt8(ascii: "\"") { return index..<(end + 1) }
        end += 1
      }
      return nil
    case UInt8(ascii: "'"):
      var end = index + 1
      while end < bytes.count {
        if bytes[end] == UInt8(ascii: "'") {
          if end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: "'") {
            end += 2
            continue
          }
          return index..<(end + 1)
        }
        end += 1
      }
      return nil
    case UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "*"):
      return nil
    default:
      var end = index
      while end < bytes.count, !isBreak(at: end) {
        let byte = bytes[end]
        let next = end + 1 < bytes.count ? bytes[end + 1] : 0x0A
        if byte == UInt8(ascii: "#"), end > index, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09
        {
          break
        }
        if byte == UInt8(ascii: ":"),
          next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D
            || (flow && Self.flowIndicators.contains(next))
        {
          break
        }
        if flow, Self.flowIndicators.contains(byte) { break }
        end += 1
      }
      while end > index, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
      return end > index ? index..<end : nil
    }
  }

  /// The first byte after a node's properties (`&anchor`, `!tag`, each followed by blanks).
  func afterProperties(_ start: Int) -> Int {
    var index = start
    while index < bytes.count,
      bytes[index] == UInt8(ascii: "&") || bytes[index] == UInt8(ascii: "!")
    {
      while index < bytes.count, !isBlankOrBreak(at: index) { index += 1 }
      while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }
    return index
  }

  /// Whether the collection whose mark is at `line` and `column` is written in flow style
  /// (`[...]` or `{...}`). Read from the bytes: Yams does not keep a collection's style.
  public func isFlowCollection(line: Int, column: Int) -> Bool {
    guard let start = offset(line: line, column: column) else { return false }
    let index = afterProperties(start)
    return index < bytes.count
      && (bytes[index] == UInt8(ascii: "[") || bytes[index] == UInt8(ascii: "{"))
  }

  /// The text the parser reads: the bytes after any byte-order mark (Yams hands libyaml UTF-8
  /// with its encoding set, so libyaml would not skip the mark itself).
  public var text: String {
    String(
      decoding: bytes.starts(with: Self.byteOrderMark) ? bytes[3...] : bytes[...], as: UTF8.self)
  }

  static let flowIndicators: Set<UInt8> = [
    UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
  ]

  func isBlankOrBreak(at index: Int) -> Bool {
    bytes[index] == 0x20 || bytes[index] == 0x09 || isBreak(at: index)
  }
}

extension YAMLSource {
  /// The parser's 1-based line and column (in Unicode scalars) of byte `offset`.
  public func position(of offset: Int) -> (line: Int, column: Int) {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    var index = lineStarts[low]
    var column = 1
    while index < min(offset, bytes.count) {
      index += Self.scalarWidth(bytes[index])
      column += 1
    }
    return (low + 1, column)
  }
}
