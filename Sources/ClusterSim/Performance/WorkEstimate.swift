/// How long a phase's work takes when nothing interrupts it.
///
/// For work given as tokens, the training compute is the 6·N·D estimate: 6 FLOPs per parameter per
/// token, 2 forward and 4 backward (Kaplan et al., "Scaling Laws for Neural Language Models", 2020,
/// §2.1; Hoffmann et al., "Training Compute-Optimal Large Language Models", 2022, App. F). Model
/// FLOPs utilisation (MFU) is achieved model FLOP/s over the dense peak (Chowdhery et al., "PaLM",
/// 2022, App. B), so the time is 6·N·D / (GPUs × peak × MFU) (`Planner` computes it per pool).
public enum WorkEstimate {
  /// Training FLOPs of `tokens` tokens through a model with `activeParams` parameters per token.
  public static func trainingFLOPs(tokens: Double, activeParams: Double) -> Double {
    6 * activeParams * tokens
  }
}
