import Foundation
import SimKernel
import Yams

@testable import ClusterSim

extension ExpectationUpdatePropertyTests {
  /// A random config-like YAML file with an `expect:` list (the property test's input).
  struct Generator {
    var stream: RandomStream

    struct File {
      var bytes: [UInt8]
      var phases: [String]
      var entries: Int
    }

    mutating func below(_ n: Int) -> Int { Int(stream.next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { stream.nextUnitInterval() < p }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func shuffled(_ items: [String]) -> [String] {
      var items = items
      for index in stride(from: items.count - 1, to: 0, by: -1) {
        items.swapAt(index, below(index + 1))
      }
      return items
    }

    /// One to four pieces of hostile text.
    mutating func text() -> String {
      var out = ""
      for _ in 0...below(4) { out += pick(ExpectationUpdatePropertyTests.pieces) }
      return out
    }

    /// A number of any sign and magnitude a result can have.
    mutating func number() -> Double {
      let magnitude = pow(10, Double(below(14)) - 4) * (1 + stream.nextUnitInterval() * 9)
      return chance(0.15) ? -magnitude : chance(0.05) ? 0 : magnitude
    }

    /// How a number is first written: plain digits, separators, exponents.
    mutating func numberText() -> String {
      pick(["95642.1", "1_000", "3e5", "-0.5", "0.861224", "12", "2.5E+3", "101354"])
    }

    /// `text` as a YAML scalar, in a random style that can carry it.
    mutating func scalar(_ text: String, flow: Bool) -> String {
      let style = pick([Node.Scalar.Style.plain, .singleQuoted, .doubleQuoted])
      return YAMLScalarText.written(text, preferring: style, flow: flow)
    }

    /// `text` double-quoted with its line and paragraph separators and NEL left raw: libyaml
    /// breaks lines at them inside quotes too (and folds them), so later marks move.
    mutating func rawQuoted(_ text: String) -> String {
      "\"" + text.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"") + "\u{2028}\u{85}x\u{2029}\""
    }

    /// A comment of hostile text with no line break in it.
    mutating func comment() -> String {
      let text = text().unicodeScalars.filter {
        !["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains($0)
      }
      return "# " + String(String.UnicodeScalarView(text))
    }

    /// An expected value's text, with its path: `(path, value, textual)`.
    mutating func entry(phases: [String], flow: Bool) -> (path: String, value: String) {
      let properties = chance(0.15) ? "&v\(below(1000)) " : chance(0.1) ? "!!str " : ""
      switch below(6) {
      case 0:
        let value = "\(numberText()) \(pick(["±", "+-", "+/-"])) \(pick(["2%", "0.5", "3 se"]))"
        return ("total.cost_usd.mean", properties + scalar(value, flow: flow))
      case 1:
        let value = "\(pick(["<=", "<", ">=", ">"])) \(numberText())"
        return (
          "total.cost_usd.p90",
          properties
            + YAMLScalarText.written(
              value, preferring: pick([.singleQuoted, .doubleQuoted]), flow: flow)
        )
      case 2:
        return (
          "phases[\(phases[0])].gpu_hours.mean",
          properties + scalar(pick(["== ", ""]) + numberText(), flow: flow)
        )
      case 3:
        let names = shuffled(phases).map { scalar($0, flow: true) }
        return ("order", "[" + names.joined(separator: ", ") + "]")
      case 4:
        return ("phases[\(phases[1])].pool", properties + scalar("p" + text(), flow: flow))
      default:
        return (
          "sweep.points[\(below(9) + 1)].reason", properties + scalar("r" + text(), flow: flow)
        )
      }
    }

    mutating func file() -> File {
      let end = pick(["\n", "\r\n", "\r"])
      // Phase names are plain words: result paths cannot hold every character.
      let phases = ["a\(below(99))", "b\(below(99))", "c\(below(99))"]
      var lines: [String] = []
      if chance(0.5) { lines.append(comment()) }
      lines.append(
        "notes: &n " + scalar(text(), flow: false) + (chance(0.5) ? "  " + comment() : ""))
      lines.append("again: *n")
      lines.append("names: [" + phases.map { scalar($0, flow: true) }.joined(separator: ", ") + "]")
      let count = 1 + below(6)
      let flowList = chance(0.3)
      var entries: [String] = []
      for _ in 0..<count {
        let entry = entry(phases: phases, flow: flowList)
        let miss = chance(0.1) ? ", known_miss: " + rawQuoted("k" + text()) : ""
        if flowList {
          let path = YAMLScalarText.written(entry.path, preferring: .plain, flow: true)
          entries.append(
            chance(0.5) && miss.isEmpty
              ? "{\(path): \(entry.value)}"
              : "{path: \(path), value: \(entry.value)\(miss)}")
        } else if chance(0.3) || !miss.isEmpty {
          var block = "  - path: \(entry.path)" + end + "    value: \(entry.value)"
          if !miss.isEmpty { block += end + "    known_miss: " + scalar("k" + text(), flow: false) }
          entries.append(block)
        } else {
          entries.append(
            "  - \(entry.path): \(entry.value)" + (chance(0.3) ? "   " + comment() : ""))
        }
      }
      if flowList {
        lines.append("expect: [" + entries.joined(separator: ", ") + "]")
      } else {
        lines.append("expect:")
        lines += entries
      }
      if chance(0.5) { lines.append(comment()) }
      var bytes = chance(0.2) ? YAMLSource.byteOrderMark : []
      bytes += Array((lines.joined(separator: end) + end).utf8)
      return File(bytes: bytes, phases: phases, entries: count)
    }
  }
}
