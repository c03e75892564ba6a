/// One stage of a training program as the config gives it: a piece of work run on a number of
/// GPUs of one of its allowed pools. `Planner` resolves it for a pool (step, hours, checkpoint
/// interval); nothing resolved is stored here.
public struct Phase: Sendable, Hashable {
  /// The name other phases use in `depends_on`.
  public var name: String
  /// Every pool it may run on, in config order; the scheduler picks one per run.
  public var poolIndices: [Int]
  /// When it is submitted, in hours from the start of the program.
  public var submitAtHours: Double
  /// Higher runs first under the `priority` policy.
  public var priority: Int
  /// GPUs it holds while it runs.
  public var gpus: Int
  /// Indices of the phases that must finish before it starts, in `Program.phases`.
  public var dependencies: [Int]
  /// The precision its math runs in (work given as tokens or as a model).
  public var precision: Precision
  /// How much work it is.
  public var work: Work
  /// How it checkpoints and restarts after an interruption; an `auto` interval
  /// (`intervalIsAuto`) is resolved by the planner for each pool.
  public var checkpoint: CheckpointPolicy
  /// Whether it may continue on fewer nodes, at proportionally lower throughput, when a failed
  /// node cannot be replaced.
  public var elastic: Bool

  /// The longest a phase may run uninterrupted, in hours (about 114 years): anything longer is a
  /// unit mistake in the config, and keeps every time and cost finite.
  public static let maximumHours = 1_000_000.0

  public init(
    name: String, poolIndex: Int, gpus: Int, dependencies: [Int] = [],
    precision: Precision = .bf16, work: Work, checkpoint: CheckpointPolicy = .none,
    elastic: Bool = false, poolIndices: [Int]? = nil, submitAtHours: Double = 0,
    priority: Int = 0
  ) {
    self.name = name
    self.poolIndices = poolIndices ?? [poolIndex]
    self.submitAtHours = submitAtHours
    self.priority = priority
    self.gpus = gpus
    self.dependencies = dependencies
    self.precision = precision
    self.work = work
    self.checkpoint = checkpoint
    self.elastic = elastic
  }

  /// Its first allowed pool.
  public var poolIndex: Int { poolIndices[0] }

  /// Nodes it holds on a pool of `gpusPerNode`-GPU nodes: whole nodes, rounded up.
  public func nodes(gpusPerNode: Int) -> Int { Self.nodes(gpus: gpus, gpusPerNode: gpusPerNode) }

  /// Whole nodes `gpus` GPUs take: ⌈gpus / gpusPerNode⌉.
  public static func nodes(gpus: Int, gpusPerNode: Int) -> Int {
    (gpus + gpusPerNode - 1) / gpusPerNode
  }
}

/// How much work a phase is, in one of the forms a config may give it.
public enum Work: Sendable, Hashable {
  /// A fixed budget of GPU-hours, spread over the phase's GPUs.
  case gpuHours(Double)
  /// A wall-clock duration at the phase's size, in hours.
  case hours(Double)
  /// Training on `tokens` tokens of a model with `activeParams` parameters per token, at model
  /// FLOPs utilisation `mfu` of the chip's dense peak (the 6·N·D estimate).
  case tokens(tokens: Double, activeParams: Double, mfu: Double)
  /// Training described by the model, its data and its layout (keys may be `auto`); the planner
  /// prices its steps with `StepTimeModel` on each pool's chip.
  case training(TrainingSpec)
}
