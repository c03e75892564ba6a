/// A path into a JSON result: keys joined by dots, list elements picked by name
/// (`phases.r1-zero.gpu_hours.mean`, or `phases[r1.zero]` for a name with dots) or by a field
/// (`sweep.points[gpus=2048].cost_usd.mean`).
public struct ResultPath: Sendable, Hashable, CustomStringConvertible {
  public enum Segment: Sendable, Hashable {
    case key(String)
    /// `[name]` or `[field=value]`.
    case select(String)
  }

  public var segments: [Segment]
  public var description: String

  /// Parses `text`; nil when it is empty or its brackets do not close.
  public init?(_ text: String) {
    var segments: [Segment] = []
    var current = ""
    var bracket: String?
    for character in text {
      if var inside = bracket {
        if character == "]" {
          segments.append(.select(inside))
          bracket = nil
        } else {
          inside.append(character)
          bracket = inside
        }
        continue
      }
      switch character {
      case ".":
        if !current.isEmpty { segments.append(.key(current)) }
        current = ""
      case "[":
        if !current.isEmpty { segments.append(.key(current)) }
        current = ""
        bracket = ""
      default:
        current.append(character)
      }
    }
    guard bracket == nil else { return nil }
    if !current.isEmpty { segments.append(.key(current)) }
    guard !segments.isEmpty else { return nil }
    self.segments = segments
    description = text
  }

  /// The first key, which says what the path is about (`phases`, `pools`, `total`, `sweep`).
  public var head: String? {
    if case .key(let key) = segments.first { return key }
    return nil
  }

  /// The value at the path in `document`, or why there is none, with the nearest valid choice at
  /// the segment that failed. A name selector may list several names joined by `+`
  /// (`phases[a+b+c].gpu_hours.mean`): the rest of the path is then resolved in each and the
  /// numbers summed.
  func resolve(in document: JSONValue) -> Result<JSONValue, CheckProblem> {
    resolve(segments[...], in: document, walked: "")
  }

  /// Whether the path sums over several elements.
  var isSum: Bool {
    segments.contains {
      if case .select(let name) = $0 { return name.contains("+") && !name.contains("=") }
      return false
    }
  }

  func resolve(_ rest: ArraySlice<Segment>, in value: JSONValue, walked: String)
    -> Result<JSONValue, CheckProblem>
  {
    guard let segment = rest.first else { return .success(value) }
    let after = rest.dropFirst()
    switch (value, segment) {
    case (.object(let members), .key(let key)):
      guard let found = members.first(where: { $0.0 == key }) else {
        return .failure(CheckProblem(Self.missing(key, after: walked, among: members.map(\.0))))
      }
      return resolve(after, in: found.1, walked: walked.isEmpty ? key : "\(walked).\(key)")
    case (.array, .select(let names)) where names.contains("+") && !names.contains("="):
      var total = 0.0
      for name in names.split(separator: "+").map(String.init) {
        switch resolve([.select(name)] + after, in: value, walked: walked) {
        case .failure(let problem): return .failure(problem)
        case .success(let part):
          guard let number = part.numberValue else {
            return .failure(CheckProblem("\(walked)[\(names)] sums numbers; \(name)'s value is not one"))
          }
          total += number
        }
      }
      return .success(.number(total))
    case (.array(let elements), .key(let name)), (.array(let elements), .select(let name)):
      var (field, wanted) = Self.selector(name)
      // Lists without names (a sweep's points) are picked by number: `points[3]`.
      if field == "name", elements.first?.member("name") == nil, elements.first?.member("point") != nil {
        field = "point"
      }
      let names = elements.compactMap { $0.member(field).map(Self.text) }
      guard let found = elements.first(where: { $0.member(field).map(Self.text) == wanted }) else {
        let shown = field == "name" || field == "point" ? "" : "\(field)="
        return .failure(
          CheckProblem(
            Self.missing(
              wanted, after: walked, among: names, prefix: shown,
              noun: field == "name" ? "name" : field)))
      }
      return resolve(after, in: found, walked: walked + (field == "name" ? ".\(name)" : "[\(name)]"))
    case (_, .key(let key)), (_, .select(let key)):
      return .failure(
        CheckProblem("\(walked) is a single value; nothing is under it (remove \".\(key)\")"))
    }
  }

  /// `gpus=2048` → ("gpus", "2048"); a bare name → ("name", name).
  static func selector(_ text: String) -> (field: String, value: String) {
    guard let equals = text.firstIndex(of: "=") else { return ("name", text) }
    return (String(text[..<equals]), String(text[text.index(after: equals)...]))
  }

  /// A scalar's text for matching a selector: numbers print without a trailing `.0`.
  static func text(_ value: JSONValue) -> String {
    switch value {
    case .string(let text): text
    case .number(let number) where number == number.rounded() && abs(number) < 1e15:
      String(Int64(number))
    default: value.rendered()
    }
  }

  static func missing(
    _ key: String, after walked: String, among choices: [String], prefix: String = "",
    noun: String = "key"
  ) -> String {
    let place = walked.isEmpty ? "the result" : walked
    let hint =
      Suggestion.nearest(to: key, in: choices).map { "; did you mean \"\(prefix)\($0)\"?" }
      ?? (choices.isEmpty ? "" : "; it has: \(choices.prefix(12).map { prefix + $0 }.joined(separator: ", "))"
        + (choices.count > 12 ? ", ..." : ""))
    return "\(place) has no \(noun) \"\(key)\"\(hint)"
  }
}

extension JSONValue {
  /// The member `key` of an object, nil otherwise.
  func member(_ key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  /// The value as a number, when it is one.
  var numberValue: Double? {
    switch self {
    case .number(let number): number
    case .integer(let number): Double(number)
    case .unsigned(let number): Double(number)
    default: nil
    }
  }
}
