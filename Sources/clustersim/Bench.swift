import ArgumentParser
import ClusterSim
import Foundation
import ParallelCore
import SimKernel

/// `clustersim bench CONFIG`: how fast the engine simulates a config.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Time the replications of a config: replications per second and engine events per second.")

  @Argument(help: "The YAML config (see docs/config.md); omit with --engine.")
  var config: String?

  @Flag(help: "Time the bare event engine instead: schedule and pop, a hold model.")
  var engine = false

  @Option(help: "With --engine: events to deliver.")
  var events: Int = 20_000_000

  @Option(help: "With --engine: events pending at any time.")
  var pending: Int = 1000

  @Option(help: "Timed repetitions of the whole run; the fastest is reported.")
  var repeats: Int = 3

  @OptionGroup var runOptions: RunOptions<Bench>

  func validate() throws {
    if !engine, config == nil {
      throw ValidationError("give a config, or --engine")
    }
    if !(1...1_000_000_000).contains(events) || !(1...10_000_000).contains(pending) {
      throw ValidationError("--events must be 1 to 1e9 and --pending 1 to 1e7")
    }
    if !(1...100).contains(repeats) {
      throw ValidationError("--repeats must be between 1 and 100, got \(repeats)")
    }
  }

  func run() throws {
    if engine {
      runEngine()
      return
    }
    guard let config else { return }
    let plan = try ConfigLoader.loadPlan(path: config)
    let program = plan.program
    try runOptions.checkCost(
      plan, replications: (runOptions.replications ?? program.simulation.replications) * repeats)
    let machine = try runOptions.machine()
    let threads = runOptions.threadCount
    let clock = ContinuousClock()
    var best = Duration.seconds(Int64.max)
    var result: SimulationResult?
    for _ in 0..<repeats {
      let start = clock.now
      result = try Simulation.run(
        program, replications: runOptions.replications, threads: threads, topology: machine)
      best = min(best, clock.now - start)
    }
    guard let result else { return }
    let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) * 1e-18
    let perReplication = Double(result.events) / Double(result.replications)
    print(
      """
      config: \(config)
      replications: \(result.replications) (fastest of \(repeats) runs, \(threads) thread\(threads == 1 ? "" : "s"))
      seconds: \(String(format: "%.3f", seconds))
      replications per second: \(String(format: "%.0f", Double(result.replications) / seconds))
      events per replication: \(String(format: "%.1f", perReplication))
      events per second: \(String(format: "%.0f", Double(result.events) / seconds))
      """)
  }

  /// The hold model (Jones, "An empirical comparison of priority-queue and event-set
  /// implementations", CACM 1986): `pending` events in the queue; each step pops the earliest and
  /// schedules one at now + a delay uniform on [0, 2) hours (65,536 delays drawn beforehand and
  /// cycled, so the time measured is the engine's). One thread.
  func runEngine() {
    let clock = ContinuousClock()
    var best = Duration.seconds(Int64.max)
    var checksum = 0.0
    // The delays are drawn before the clock starts, so the time measured is the engine's alone.
    var stream = RandomStream(seed: 1, replication: 0)
    let delays = (0..<(1 << 16)).map { _ in 2 * stream.nextUnitInterval() }
    let mask = delays.count - 1
    for _ in 0..<repeats {
      var engine = Engine<Int>(capacity: pending + 1)
      for index in 0..<pending {
        engine.schedule(index, afterHours: delays[index & mask])
      }
      let start = clock.now
      var draw = pending
      for _ in 0..<events {
        guard let (_, event) = engine.step() else { break }
        engine.schedule(event, afterHours: delays[draw & mask])
        draw &+= 1
      }
      best = min(best, clock.now - start)
      checksum += engine.now.hours
    }
    let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) * 1e-18
    print(
      """
      engine: hold model, \(pending) events pending, delays uniform on [0, 2) h (fastest of \(repeats) runs, 1 thread)
      events: \(events)
      seconds: \(String(format: "%.3f", seconds))
      events per second: \(String(format: "%.0f", Double(events) / seconds))
      (final clock \(String(format: "%.1f", checksum / Double(repeats))) h)
      """)
  }
}

extension Bench: RunOptionDefaults {
  static var threadsHelp: ArgumentHelp { "Worker threads (default 1)." }
  static var topologyHelp: ArgumentHelp {
    "A synthetic NUMA topology NODESxCPUS (default: this machine's)."
  }

  static func defaultThreads() -> Int { 1 }
}
