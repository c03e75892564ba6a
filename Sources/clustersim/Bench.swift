import ArgumentParser
import ClusterSim
import Foundation

/// `clustersim bench CONFIG`: how fast the engine simulates a config.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Time the replications of a config: replications per second and engine events per second.")

  @Argument(help: "The YAML config (see docs/config.md).")
  var config: String

  @Option(help: "Replications to run (default: the config's simulation.replications, or 100).")
  var replications: Int?

  @Option(help: "Timed repetitions of the whole run; the fastest is reported.")
  var repeats: Int = 3

  func validate() throws {
    if let replications, !(1...SimulationSettings.maximumReplications).contains(replications) {
      throw ValidationError(
        "--replications must be between 1 and \(SimulationSettings.maximumReplications), "
          + "got \(replications)")
    }
    if !(1...100).contains(repeats) {
      throw ValidationError("--repeats must be between 1 and 100, got \(repeats)")
    }
  }

  func run() throws {
    let program = try ConfigLoader.load(path: config)
    let clock = ContinuousClock()
    var best = Duration.seconds(Int64.max)
    var result: SimulationResult?
    for _ in 0..<repeats {
      let start = clock.now
      result = try Simulation.run(program, replications: replications)
      best = min(best, clock.now - start)
    }
    guard let result else { return }
    let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) * 1e-18
    let perReplication = Double(result.events) / Double(result.replications)
    print(
      """
      config: \(config)
      replications: \(result.replications) (fastest of \(repeats) runs, 1 thread)
      seconds: \(String(format: "%.3f", seconds))
      replications per second: \(String(format: "%.0f", Double(result.replications) / seconds))
      events per replication: \(String(format: "%.1f", perReplication))
      events per second: \(String(format: "%.0f", Double(result.events) / seconds))
      """)
  }
}
