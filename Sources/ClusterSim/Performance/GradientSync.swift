/// The precision gradients cross the data-parallel ranks in.
public enum GradientPrecision: String, Sendable, Hashable, CaseIterable {
  case bf16
  case fp16
  /// What Megatron-LM does when it trains in bf16 ("bfloat16 requires gradient accumulation and
  /// all-reduce to be done in fp32", `megatron/arguments.py`, 2021-2023) and what Llama 3 does
  /// (arXiv 2407.21783 §3.3.4: gradients reduce-scattered in FP32).
  case fp32

  /// Bytes per gradient element on the wire.
  public var bytes: Int { self == .fp32 ? 4 : 2 }
}

/// How a training framework exchanges gradients and weights across the data-parallel ranks: the
/// gradients' wire precision, and whether the exchange runs behind the passes or after them.
///
/// The default (bf16, overlapped) is what current frameworks do: PyTorch DDP's and FSDP's bucketed
/// overlap (Li et al., "PyTorch Distributed", VLDB 2020 §3.2.3), Megatron-LM's
/// `--overlap-grad-reduce` and `--overlap-param-gather` (merged September-November 2023).
/// Megatron-LM before those (e.g. commit 285068c8 of January 2023, the baseline of MegaScale,
/// NSDI '24 §6.1) all-reduces, or reduce-scatters and all-gathers, once every microbatch is done,
/// in fp32 when it trains in bf16: nothing hides it (`megatron/training.py` `train_step`).
public struct GradientSync: Sendable, Hashable {
  public var precision: GradientPrecision
  /// Whether the reduction hides behind the last microbatch's backward and the gather behind the
  /// first forward; false puts both on the critical path.
  public var overlapped: Bool

  public init(precision: GradientPrecision = .bf16, overlapped: Bool = true) {
    self.precision = precision
    self.overlapped = overlapped
  }

  /// What the layout line says when the sync is not the default: nil when it is.
  public var summary: String? {
    guard self != GradientSync() else { return nil }
    return "grads \(precision.rawValue)" + (overlapped ? "" : ", not overlapped")
  }
}
