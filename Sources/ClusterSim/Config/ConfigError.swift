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

  /// `file:line:column: keyPath: message`, the form compilers use so editors can jump to it.
  public var description: String { "\(file):\(line):\(column): \(keyPath): \(message)" }
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

  /// One line per issue.
  public var description: String { issues.map(\.description).joined(separator: "\n") }
}
