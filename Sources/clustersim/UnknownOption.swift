import ArgumentParser
import ClusterSim

/// A better line for an unknown option than ArgumentParser's nearest spelling (which offered
/// `--trace` for `simulate --phase`): the subcommands that do have the option, or a near spelling
/// among the command's own options only when it is a plausible typo.
enum UnknownOption {
  /// The options each subcommand lists in its help, by command name.
  static var optionsByCommand: [(command: String, options: [String])] {
    ClusterSimCommand.configuration.subcommands.map { command in
      (
        command._commandName,
        options(in: ClusterSimCommand.helpMessage(for: command, columns: 10_000))
      )
    }
  }

  /// The options a help text lists: the `--name` words that open its option lines (`  --seed
  /// <seed>  Seed of ...`, `  -h, --help  ...`), not those its descriptions mention.
  static func options(in help: String) -> [String] {
    var found: [String] = []
    for line in help.split(separator: "\n") {
      let words = line.split(separator: " ")
      guard words.first?.hasPrefix("-") == true else { continue }
      for word in words {
        guard word.hasPrefix("-") || word.hasPrefix("<") else { break }
        let name = String(word.hasSuffix(",") ? word.dropLast() : word)
        if name.hasPrefix("--"), name.count > 2, !found.contains(name) { found.append(name) }
      }
    }
    return found
  }

  /// `message` (ArgumentParser's first line) with its guess replaced, when it is about an unknown
  /// option of the subcommand named in `arguments`; otherwise `message` as it is.
  static func rewrite(_ message: String, arguments: [String]) -> String {
    let prefix = "Unknown option '"
    guard message.hasPrefix(prefix),
      let end = message.dropFirst(prefix.count).firstIndex(of: "'")
    else { return message }
    let option = String(message[message.index(message.startIndex, offsetBy: prefix.count)..<end])
    let all = optionsByCommand
    guard let command = arguments.first(where: { word in all.contains { $0.command == word } }),
      let own = all.first(where: { $0.command == command })?.options
    else { return message }
    let elsewhere = all.filter { $0.command != command && $0.options.contains(option) }
      .map(\.command)
    var line = "\(command) has no option \(option)"
    if !elsewhere.isEmpty {
      let named = elsewhere.map { "clustersim \($0)" }.joined(separator: ", ")
      line += "; it is an option of \(named) (see clustersim \(elsewhere[0]) --help)"
    } else if let near = Suggestion.nearest(to: option, in: own) {
      line += "; did you mean \(near)?"
    } else {
      line += "; see clustersim \(command) --help"
    }
    return line
  }
}
