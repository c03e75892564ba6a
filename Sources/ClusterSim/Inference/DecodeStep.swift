/// One decode step of an engine, per GPU, in seconds: what it reads, computes and sends
/// (`docs/model.md`, "Inference"). The parts marked exposed add up to the step.
public struct DecodeStep: Sendable, Hashable {
  /// Sequences the engine decodes together.
  public var sequences: Double
  /// Weight bytes one GPU reads: the parts every token uses and the distinct experts touched.
  public var weightBytes: Double
  /// KV-cache bytes one GPU reads.
  public var kvBytes: Double
  /// Matrix multiplies: the slower of their FLOPs and their weight reads (exposed).
  public var matrixSeconds: Double
  /// The attention core: the slower of its FLOPs and its KV reads (exposed).
  public var attentionSeconds: Double
  /// Tensor-parallel all-reduces (exposed).
  public var tensorParallelSeconds: Double
  /// Expert dispatch and combine, hidden behind compute with dual micro-batch overlap.
  public var expertParallel: Overlapped
  /// The fixed cost of a step: kernel launches and synchronisation, per layer.
  public var overheadSeconds: Double
  /// Tokens each sequence gains per step (1 + accepted drafts).
  public var tokensPerSequence: Double

  public var stepSeconds: Double {
    matrixSeconds + attentionSeconds + tensorParallelSeconds + expertParallel.exposedSeconds
      + overheadSeconds
  }
  /// Tokens the engine generates per second.
  public var tokensPerSecond: Double { sequences * tokensPerSequence / stepSeconds }
}

/// Prefill of a batch of prompts on one engine, per GPU, in seconds.
public struct PrefillEstimate: Sendable, Hashable {
  /// Prompt tokens the engine computes.
  public var tokens: Double
  /// Matrix multiplies and the attention core at the calibrated prefill efficiency.
  public var computeSeconds: Double
  /// Expert dispatch and combine, hidden behind compute with dual micro-batch overlap.
  public var expertParallel: Overlapped
  /// Tensor-parallel all-reduces.
  public var tensorParallelSeconds: Double

  public var seconds: Double {
    computeSeconds + expertParallel.exposedSeconds + tensorParallelSeconds
  }
  public var tokensPerSecond: Double { tokens / seconds }
}

/// Decode seconds by what sets them.
public struct DecodeParts: Sendable, Hashable {
  public var matrixSeconds = 0.0
  public var attentionSeconds = 0.0
  public var tensorParallelSeconds = 0.0
  public var expertParallelSeconds = 0.0
  public var overheadSeconds = 0.0
  /// Steps, and the sequences they decoded, summed (their ratio is the mean batch).
  public var steps = 0.0
  public var sequenceSteps = 0.0

  mutating func add(_ step: DecodeStep, times n: Double) {
    matrixSeconds += n * step.matrixSeconds
    attentionSeconds += n * step.attentionSeconds
    tensorParallelSeconds += n * step.tensorParallelSeconds
    expertParallelSeconds += n * step.expertParallel.exposedSeconds
    overheadSeconds += n * step.overheadSeconds
    steps += n
    sequenceSteps += n * step.sequences
  }

  public var totalSeconds: Double {
    matrixSeconds + attentionSeconds + tensorParallelSeconds + expertParallelSeconds
      + overheadSeconds
  }

  static func += (a: inout DecodeParts, b: DecodeParts) {
    a.matrixSeconds += b.matrixSeconds
    a.attentionSeconds += b.attentionSeconds
    a.tensorParallelSeconds += b.tensorParallelSeconds
    a.expertParallelSeconds += b.expertParallelSeconds
    a.overheadSeconds += b.overheadSeconds
    a.steps += b.steps
    a.sequenceSteps += b.sequenceSteps
  }
}
