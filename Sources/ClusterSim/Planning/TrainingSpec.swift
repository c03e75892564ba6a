/// A training phase as the config gives it: the model, its data and its layout spec (keys may be
/// `auto`). The planner turns it into a `TrainingJob` for a pool and a GPU count.
public struct TrainingSpec: Sendable, Hashable {
  public var model: TransformerModel
  /// Training FLOPs per token to use instead of the count derived from the shape.
  public var flopsPerTokenOverride: Double?
  public var seqLen: Int
  /// Sequences per optimizer step.
  public var globalBatch: Int
  /// Optimizer steps the phase runs.
  public var steps: Double
  public var layout: LayoutSpec
  public var attentionKernel: AttentionKernel

  public init(
    model: TransformerModel, flopsPerTokenOverride: Double? = nil, seqLen: Int, globalBatch: Int,
    steps: Double, layout: LayoutSpec, attentionKernel: AttentionKernel = .flash
  ) {
    self.model = model
    self.flopsPerTokenOverride = flopsPerTokenOverride
    self.seqLen = seqLen
    self.globalBatch = globalBatch
    self.steps = steps
    self.layout = layout
    self.attentionKernel = attentionKernel
  }

  /// The job of this spec with a concrete layout, its math in `precision`.
  public func job(layout: ParallelLayout, precision: Precision) -> TrainingJob {
    TrainingJob(
      model: model, flopsPerTokenOverride: flopsPerTokenOverride, seqLen: seqLen,
      globalBatch: globalBatch, steps: steps, layout: layout, precision: precision,
      attentionKernel: attentionKernel, gradientSync: self.layout.gradientSync,
      overlapTensorParallel: self.layout.overlapTensorParallel,
      memoryHeadroomGB: self.layout.memoryHeadroomGB,
      activationOffloadLayers: self.layout.activationOffloadLayers)
  }

  /// Bytes of one full checkpoint: 14 per parameter (bf16 weights, fp32 master weights and two
  /// fp32 Adam moments; `docs/model.md`, "Failures and checkpoints").
  public var checkpointGB: Double { model.totalParams * 14 / 1e9 }
}
