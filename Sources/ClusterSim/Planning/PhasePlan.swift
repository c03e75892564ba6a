/// One phase resolved for one pool at one GPU count: what the scheduler, `explain` and sweeps
/// use (`docs/model.md`, "Planning").
public struct PhasePlan: Sendable, Hashable {
  /// The phase's index in `Program.phases`.
  public var phase: Int
  /// The pool's index in `Program.pools`.
  public var pool: Int
  public var gpus: Int
  /// Whole nodes it holds: ⌈gpus / GPUs per node⌉.
  public var nodes: Int
  /// Hours its work takes with nothing interrupting it (the expected hours where they are drawn
  /// per replication).
  public var workHours: Double
  /// The job and its step estimate, for phases described by their model (an RL phase's policy
  /// update).
  public var training: TrainedStep?
  /// An RL phase's rollouts, whose longest samples each replication draws.
  public var rollouts: RolloutPlan?
  /// A generate phase's engines, concurrency and decode step.
  public var generation: GenerationPlan?
  /// Checkpoints and restarts on this pool: `interval: auto` resolved to Daly's optimum for the
  /// pool's failure rate at this node count.
  public var checkpoint: CheckpointPolicy
  /// Mean hours between interruptions of its nodes (infinite on a pool that never fails).
  public var mtbfHours: Double
  /// Expected wall-clock hours under exponential interruptions (`CheckpointMath`).
  public var expectedWallHours: Double

  public init(
    phase: Int, pool: Int, gpus: Int, nodes: Int, workHours: Double, training: TrainedStep?,
    checkpoint: CheckpointPolicy, mtbfHours: Double, expectedWallHours: Double
  ) {
    self.phase = phase
    self.pool = pool
    self.gpus = gpus
    self.nodes = nodes
    self.workHours = workHours
    self.training = training
    self.checkpoint = checkpoint
    self.mtbfHours = mtbfHours
    self.expectedWallHours = expectedWallHours
  }

  /// What the scheduler runs: the work hours, drawn per replication where they are random.
  public var work: PhaseWork { PhaseWork(hours: workHours, rollouts: rollouts) }

  /// A training job with the layout the plan chose, and its step.
  public struct TrainedStep: Sendable, Hashable {
    public var job: TrainingJob
    public var estimate: StepEstimate
    /// Layouts the search looked at (1 for a fixed layout).
    public var layoutsSearched: Int
  }
}

/// Every phase of a program planned on each of its allowed pools at its GPUs.
public struct ProgramPlan: Sendable, Hashable {
  public var program: Program
  /// `phases[p][slot]`: phase `p` on its allowed pool `program.phases[p].poolIndices[slot]`.
  public var phases: [[PhasePlan]]

  public init(program: Program, phases: [[PhasePlan]]) {
    self.program = program
    self.phases = phases
  }

  /// Plans every phase of `program`.
  public init(_ program: Program) throws(PlanError) {
    self = try Planner(program).plan()
  }
}
