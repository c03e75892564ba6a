/// How long a phase's work takes when nothing interrupts it.
///
/// For work given as tokens, the training compute is the 6·N·D estimate: 6 FLOPs per parameter per
/// token, 2 forward and 4 backward (Kaplan et al., "Scaling Laws for Neural Language Models", 2020,
/// §2.1; Hoffmann et al., "Training Compute-Optimal Large Language Models", 2022, App. F). Model
/// FLOPs utilisation (MFU) is achieved model FLOP/s over the dense peak (Chowdhery et al., "PaLM",
/// 2022, App. B), so the time is 6·N·D / (GPUs × peak × MFU).
public enum WorkEstimate {
  /// Training FLOPs of `tokens` tokens through a model with `activeParams` parameters per token.
  public static func trainingFLOPs(tokens: Double, activeParams: Double) -> Double {
    6 * activeParams * tokens
  }

  /// Hours the phase runs on its GPUs of `pool` with nothing interrupting it.
  ///
  /// - Precondition: for token work, the pool's chip has a peak for the phase's precision (the
  ///   config loader checks this).
  public static func hours(for phase: Phase, on pool: Pool) -> Double {
    switch phase.work {
    case .gpuHours(let gpuHours):
      return gpuHours / Double(phase.gpus)
    case .hours(let hours):
      return hours
    case .tokens(let tokens, let activeParams, let mfu):
      guard let peak = pool.chip.peakFLOPS(phase.precision) else {
        preconditionFailure("\(pool.chip.name) has no \(phase.precision.name) peak")
      }
      let flops = trainingFLOPs(tokens: tokens, activeParams: activeParams)
      let seconds = flops / (Double(phase.gpus) * peak * mfu)
      return seconds / 3600
    case .training(let job, let stepSeconds):
      return job.steps * stepSeconds / 3600
    }
  }
}
