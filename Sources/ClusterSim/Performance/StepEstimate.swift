/// Seconds of a communication that could overlap with compute, split into the part that does and
/// the part left on the critical path.
public struct Overlapped: Sendable, Hashable {
  public var exposedSeconds: Double
  public var hiddenSeconds: Double

  public init(exposedSeconds: Double = 0, hiddenSeconds: Double = 0) {
    self.exposedSeconds = exposedSeconds
    self.hiddenSeconds = hiddenSeconds
  }

  /// `seconds` of communication that can hide behind `windowSeconds` of compute.
  init(seconds: Double, behind windowSeconds: Double) {
    let hidden = min(seconds, max(0, windowSeconds))
    self.init(exposedSeconds: seconds - hidden, hiddenSeconds: hidden)
  }

  static func + (a: Overlapped, b: Overlapped) -> Overlapped {
    Overlapped(
      exposedSeconds: a.exposedSeconds + b.exposedSeconds,
      hiddenSeconds: a.hiddenSeconds + b.hiddenSeconds)
  }

  static func * (a: Overlapped, k: Double) -> Overlapped {
    Overlapped(exposedSeconds: a.exposedSeconds * k, hiddenSeconds: a.hiddenSeconds * k)
  }
}

/// Where one training step's time goes on the slowest pipeline stage, in seconds. The exposed
/// parts add up to the step.
public struct StepBreakdown: Sendable, Hashable {
  /// Matrix multiplies, attention and memory-bound element-wise kernels of every microbatch
  /// (forward, backward and recomputation).
  public var computeSeconds: Double = 0
  /// Tensor-parallel all-reduces (or reduce-scatters and all-gathers): all exposed, or with
  /// `overlap_tp_comm` partly hidden behind the layers' matrix multiplies.
  public var tensorParallel = Overlapped()
  /// The exposed part of `tensorParallel`.
  public var tensorParallelSeconds: Double { tensorParallel.exposedSeconds }
  /// Context-parallel exchange of keys and values, overlapped with the attention core.
  public var contextParallel = Overlapped()
  /// Activations and their gradients sent between pipeline stages, exposed.
  public var pipelineSeconds: Double = 0
  /// Expert-parallel all-to-all dispatch and combine.
  public var expertParallel = Overlapped()
  /// Gradient reduction and parameter gathering across data-parallel ranks.
  public var dataParallel = Overlapped()
  /// Pipeline bubble of the schedule.
  public var bubbleSeconds: Double = 0
  /// The optimizer step.
  public var optimizerSeconds: Double = 0

  /// The step: every exposed part.
  public var totalSeconds: Double {
    computeSeconds + tensorParallel.exposedSeconds + contextParallel.exposedSeconds
      + pipelineSeconds
      + expertParallel.exposedSeconds + dataParallel.exposedSeconds + bubbleSeconds
      + optimizerSeconds
  }
}

/// Bytes per GPU a layout needs, on its fullest pipeline stage.
public struct MemoryEstimate: Sendable, Hashable {
  public var weightsBytes: Double
  public var gradientsBytes: Double
  public var optimizerBytes: Double
  public var activationsBytes: Double

  public var totalBytes: Double {
    weightsBytes + gradientsBytes + optimizerBytes + activationsBytes
  }
}

/// One training step of a job on a chip: how long, why, and how much memory.
public struct StepEstimate: Sendable, Hashable {
  /// Sequences per microbatch (given, or the fastest that fits).
  public var microbatch: Int
  /// Microbatches per pipeline per step: global batch / (dp · microbatch).
  public var microbatches: Int
  public var breakdown: StepBreakdown
  public var memory: MemoryEstimate
  /// Model FLOPs of one step (no recomputation counted).
  public var modelFLOPsPerStep: Double
  public var gpus: Int
  /// The dense peak of the job's precision on the chip, FLOP/s.
  public var peakFLOPS: Double
  public var tokensPerStep: Double

  public var stepSeconds: Double { breakdown.totalSeconds }
  /// Model FLOP/s per GPU.
  public var flopsPerGPU: Double { modelFLOPsPerStep / stepSeconds / Double(gpus) }
  /// Model FLOPs utilisation against the precision's dense peak.
  public var mfu: Double { flopsPerGPU / peakFLOPS }
  public var tokensPerSecond: Double { tokensPerStep / stepSeconds }
}

/// Why a layout cannot run; `key` is the config key at fault (`parallelism.tp`, `global_batch`),
/// empty when the phase as a whole is (it does not fit in memory).
public struct LayoutError: Error, Sendable, Hashable {
  public var key: String
  public var message: String

  public init(key: String, _ message: String) {
    self.key = key
    self.message = message
  }
}
