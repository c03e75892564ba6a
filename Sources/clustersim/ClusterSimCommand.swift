import ArgumentParser
import ClusterSim
import Foundation
import ParallelCore

/// `clustersim`: the root command. Maps every failure to an exit code: 2 for bad usage or a bad
/// config, 1 for a failure while running, 0 for success.
@main
struct ClusterSimCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "clustersim",
    abstract:
      "Simulates training programs on GPU clusters: wall-clock time and dollars, with spread.",
    version: "clustersim \(ClusterSimVersion.current)",
    subcommands: [
      Simulate.self, Explain.self, SweepCommand.self, MergeCommand.self, ReportCommand.self, CheckCommand.self, CalibrateCommand.self, Bench.self, Catalog.self, TopologyCommand.self,
    ])

  static func main() {
    let code: Int32
    do {
      var command = try parseAsRoot()
      try command.run()
      code = 0
    } catch let error as ConfigError {
      Console.error(error.description)
      code = 2
    } catch let error as SimulationError {
      Console.error("clustersim: simulation failed: \(error)")
      code = 1
    } catch let error as FlagError {
      Console.error("clustersim: \(error)")
      code = 2
    } catch let error as SweepError {
      Console.error("clustersim: \(error)")
      code = 2
    } catch let error as CheckFailure {
      Console.error(error.description)
      if case .failed = error { code = 1 } else { code = 2 }
    } catch let error as TopologyError {
      Console.error("clustersim: \(error)")
      code = 2
    } catch let error as AtomicFile.WriteError {
      Console.error("clustersim: \(error)")
      code = 1
    } catch {
      let exit = exitCode(for: error)
      if exit == .success {
        // --help, --version: the full text.
        let message = fullMessage(for: error)
        if !message.isEmpty { print(message) }
        code = 0
      } else {
        // Bad usage: one line, as for a bad config (the usage is under --help).
        let first = Self.message(for: error).split(separator: "\n").first.map(String.init) ?? ""
        let message = UnknownOption.rewrite(first, arguments: Array(CommandLine.arguments.dropFirst()))
        if !message.isEmpty { Console.error("clustersim: \(message)") }
        // ArgumentParser's usage errors (EX_USAGE, 64) are bad usage: 2, like a bad config.
        code = exit == .validationFailure ? 2 : exit.rawValue
      }
    }
    Foundation.exit(code)
  }
}

/// Standard error, line by line.
enum Console {
  static func error(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}

/// A command-line value that is wrong in a way only the run can tell (an unknown phase, a
/// replication beyond the run): bad usage, exit 2.
struct FlagError: Error, CustomStringConvertible {
  var flag: String
  var message: String

  init(flag: String, _ message: String) {
    self.flag = flag
    self.message = message
  }

  var description: String { "\(flag): \(message)" }
}
