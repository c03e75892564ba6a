/// A validated config: the chips, the cluster's pools, the phases of the training program and the
/// simulation settings.
public struct Program: Sendable, Hashable {
  /// The most phases a program may have, the config's and the generated ones together
  /// (docs/config.md, "Limits").
  public static let maximumPhases = 10_000

  /// The config file as the user named it (reported back in the output).
  public var source: String
  /// Built-in chips plus any the config added or overrode.
  public var catalog: ChipCatalog
  /// The pools, in config order.
  public var pools: [Pool]
  /// The phases, in config order (the order breaks ties between phases waiting for one pool).
  public var phases: [Phase]
  /// Seed and replication count.
  public var simulation: SimulationSettings
  /// How queued phases are ordered and started.
  public var policy: SchedulingPolicy
  /// Which of its allowed pools a phase is placed on.
  public var placement: Placement
  /// The outcomes `clustersim check` holds the config to (`expect:`), in config order.
  public var expectations: [ExpectedOutcome]
  /// The sweep `clustersim check` runs for `sweep.*` expectations (`sweep:`).
  public var sweep: SweepSettings?
  /// Published figures of some phases (`measured:`), for `clustersim calibrate`; running the
  /// config ignores them.
  public var measurements: [MeasuredFigure] = []

  public init(
    source: String, catalog: ChipCatalog = .builtIn, pools: [Pool], phases: [Phase],
    simulation: SimulationSettings = SimulationSettings(), policy: SchedulingPolicy = .fifo,
    expectations: [ExpectedOutcome] = [], sweep: SweepSettings? = nil,
    placement: Placement = .earliest
  ) {
    self.source = source
    self.catalog = catalog
    self.pools = pools
    self.phases = phases
    self.simulation = simulation
    self.policy = policy
    self.placement = placement
    self.expectations = expectations
    self.sweep = sweep
  }
}

/// How a cluster scheduler orders and starts queued phases (`docs/scheduling.md`).
public enum SchedulingPolicy: String, Sendable, Hashable, CaseIterable {
  /// First come (by ready time, then config order), first served; the head of a pool's queue
  /// blocks every later phase on that pool.
  case fifo
  /// Highest priority first, first come first served within a priority; no overtaking.
  case priority
  /// FIFO with EASY backfilling: a later phase may start early only if it cannot delay the
  /// reservation of the phase at the head of its pool's queue.
  case backfill
}

/// Which allowed pool a phase that may run on several is placed on (`docs/scheduling.md`).
public enum Placement: String, Sendable, Hashable, CaseIterable {
  /// The pool where it would finish first (the default).
  case earliest
  /// The pool where it would cost least: the GPUs of the whole nodes it holds there × its hours
  /// there × the pool's price per held GPU-hour; ties to the earliest finish.
  case cheapest
}

/// How many times to simulate the program and from which seed.
public struct SimulationSettings: Sendable, Hashable {
  /// The root of every replication's random stream.
  public var seed: UInt64
  /// How many independent replications to run.
  public var replications: Int

  /// The most replications a config or the command line may ask for.
  public static let maximumReplications = 1_000_000

  public init(seed: UInt64 = 1, replications: Int = 100) {
    self.seed = seed
    self.replications = replications
  }
}
