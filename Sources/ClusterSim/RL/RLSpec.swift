/// A reinforcement-learning phase as the config gives it (GRPO/PPO-style): each rollout
/// generates `outputsPerRollout` samples, scores them, and the policy takes
/// `minibatchesPerRollout` optimizer steps on them (`docs/model.md`, "RL post-training").
public struct RLSpec: Sendable, Hashable {
  /// The policy (also the reference model, and the reward model's size when one is used).
  public var model: TransformerModel
  /// Optimizer steps (policy updates) of the phase.
  public var steps: Double
  public var promptsPerStep: Int
  public var samplesPerPrompt: Int
  /// Policy updates per rollout: the rollout's samples are split into this many mini-batches.
  public var minibatchesPerRollout: Int
  public var promptTokens: Double
  /// Mean generated length by step (the cut mean: what a training curve plots).
  public var meanLength: StepSchedule
  /// Standard deviation over mean of the generated lengths, before the cut.
  public var lengthCV: Double
  /// Maximum generated length by step.
  public var maxLength: StepSchedule
  /// Whether a reference model scores every sample (the KL term of GRPO and PPO).
  public var reference: Bool
  /// The last steps that score samples with a reward model of the policy's size (rule-based
  /// rewards before them, run on CPUs alongside the rollout).
  public var rewardModelSteps: Double
  /// How the rollout engines serve the policy.
  public var inference: InferenceLayout
  /// The layout of the policy updates.
  public var layout: LayoutSpec

  public init(
    model: TransformerModel, steps: Double, promptsPerStep: Int, samplesPerPrompt: Int,
    minibatchesPerRollout: Int, promptTokens: Double, meanLength: StepSchedule, lengthCV: Double,
    maxLength: StepSchedule, reference: Bool = true, rewardModelSteps: Double = 0,
    inference: InferenceLayout, layout: LayoutSpec
  ) {
    self.model = model
    self.steps = steps
    self.promptsPerStep = promptsPerStep
    self.samplesPerPrompt = samplesPerPrompt
    self.minibatchesPerRollout = minibatchesPerRollout
    self.promptTokens = promptTokens
    self.meanLength = meanLength
    self.lengthCV = lengthCV
    self.maxLength = maxLength
    self.reference = reference
    self.rewardModelSteps = rewardModelSteps
    self.inference = inference
    self.layout = layout
  }

  /// Samples per policy update.
  public var samplesPerStep: Int { promptsPerStep * samplesPerPrompt }
  /// Samples per rollout.
  public var outputsPerRollout: Int { samplesPerStep * minibatchesPerRollout }
  /// Rollouts of the phase (the last may be partial).
  public var rollouts: Int { Int((steps / Double(minibatchesPerRollout)).rounded(.up)) }

  /// The training spec of the updates at sequence length `seqLen`: one step is one mini-batch.
  public func training(seqLen: Int) -> TrainingSpec {
    TrainingSpec(
      model: model, seqLen: seqLen, globalBatch: samplesPerStep, steps: steps, layout: layout)
  }
}
