/// One problem in a config, located at `file:line:column` and a key path such as
/// `phases[1].gpus`.
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
  /// The config file, as the user named it.
  public var file: String
  /// 1-based line of the offending key or value.
  public var line: Int
  /// 1-based column of the offending key or value.
  public var column: Int
  /// Where in the document: `cluster.pools[0].nodes`, `phases[2]`, or `(document)`.
  public var keyPath: String
  /// What is wrong and, where it helps, what to do.
  public var message: String

  public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.keyPath = keyPath
    self.message = message
  }

  /// `file:line:column: keyPath: message`, the form compilers use so editors can jump to it, on
  /// one line whatever the message holds (line breaks escaped) and at most 600 characters.
  public var description: String {
    let text = "\(file):\(line):\(column): \(keyPath): \(message)"
    guard text.contains(where: { $0.isNewline }) || text.count > 600 else { return text }
    return ConfigValue.excerpt(text, limit: 600)
  }
}

/// A config that cannot be used: every problem found, in document order.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The problems, sorted by line and column.
  public var issues: [ConfigIssue]

  public init(issues: [ConfigIssue]) {
    self.issues = issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
  }

  /// A config error that is not about a position in the file (it cannot be read, say).
  public static func unreadable(file: String, reason: String) -> ConfigError {
    ConfigError(issues: [
      ConfigIssue(file: file, line: 1, column: 1, keyPath: "(file)", message: reason)
    ])
  }

  /// Issues shown before the rest are summed up in one line.
  public static let shownIssues = 20

  /// One line per issue, at most `shownIssues` of them, then one line counting the rest.
  public var description: String {
    var lines = issues.prefix(Self.shownIssues).map(\.description)
    if issues.count > Self.shownIssues {
      let next = issues[Self.shownIssues]
      lines.append(
        "\(next.file):\(next.line):\(next.column): (document): and \(issues.count - Self.shownIssues) "
          + "more problems; fix these and run again")
    }
    return lines.joined(separator: "\n")
  }
}
