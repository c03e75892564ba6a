import ArgumentParser
import ClusterSim

/// `--seed`, shared by simulate, sweep and report: a whole number from 0 to 2^64 − 1, said so
/// when it is not.
struct SeedFlag: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: "Seed of the random streams, 0 to 18446744073709551615 (default: the config's simulation.seed, or 1).",
    transform: SeedFlag.parse)
  var seed: UInt64?

  static func parse(_ text: String) throws -> UInt64 {
    guard let seed = UInt64(text) else {
      throw ValidationError("--seed must be a whole number from 0 to 18446744073709551615, got \(text)")
    }
    return seed
  }
}

/// `--trace-replication`, shared by simulate (`--trace`, `--gantt`) and report (its Gantt): the
/// replication drawn.
struct TraceReplicationFlag: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: "The replication drawn (simulate's --trace and --gantt, the report's Gantt), 0 to replications − 1.")
  var traceReplication: Int = 0

  func validate() throws {
    if traceReplication < 0 {
      throw ValidationError("--trace-replication must be 0 or more, got \(traceReplication)")
    }
  }

  /// The drawn replication, simulated again with its timeline under the run's seed: the outcome
  /// it has in the run's statistics. Traced before the run, so that a Gantt window it cannot
  /// show is refused before the replications are spent.
  func traced(_ plan: ProgramPlan, seed: UInt64?) throws -> TracedReplication {
    var seeded = plan
    if let seed { seeded.program.simulation.seed = seed }
    return try TracedReplication(plan: seeded, replication: traceReplication)
  }

  /// Refuses a replication beyond the run's `count`.
  func check(replications count: Int) throws {
    if traceReplication >= count {
      throw FlagError(
        flag: "--trace-replication",
        "\(traceReplication) is beyond the run's \(count) replications; give 0 to \(count - 1)")
    }
  }
}
