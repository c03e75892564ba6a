/// A bad sweep request: the flag and what is wrong, with what would be valid.
///
/// Always one line of bounded length, whatever the input echoed into it: line breaks and other
/// control characters are escaped (`\n`, `\u{1b}`) and the message is cut to
/// `maximumMessageCharacters`, so no `--set` value, key path or part file can split it or
/// make it grow with the input. (A config's own errors keep their lines: each is located and
/// bounded by `ConfigIssue`.)
public struct SweepError: Error, Sendable, Hashable, CustomStringConvertible {
  public var flag: String
  public var message: String

  /// The longest flag (a file name, `--set KEY`) and message an error shows.
  public static let maximumFlagCharacters = 120
  public static let maximumMessageCharacters = 600

  public init(flag: String, _ message: String) {
    self.flag = ConfigValue.excerpt(flag, limit: Self.maximumFlagCharacters)
    self.message = ConfigValue.excerpt(message, limit: Self.maximumMessageCharacters)
  }

  /// A config that cannot be read: its issues, one located line each, under the flag `CONFIG`.
  public init(config error: ConfigError) {
    flag = "CONFIG"
    message = error.description
  }

  public var description: String { flag.isEmpty ? message : "\(flag): \(message)" }
}
