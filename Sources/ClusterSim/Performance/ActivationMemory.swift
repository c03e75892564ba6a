/// Which activations the backward pass recomputes instead of storing.
public enum Recompute: String, Sendable, Hashable, CaseIterable {
  /// Store every activation.
  case none
  /// Recompute the attention core (softmax, its dropout, QKᵀ and the product with V), store the
  /// rest (Korthikanti et al. §5).
  case selective
  /// Store only each layer's input; recompute the whole layer.
  case full
}

/// Activation memory of one transformer layer for one microbatch, in bytes, with 16-bit
/// activations: Korthikanti et al., "Reducing Activation Recomputation in Large Transformer
/// Models" (MLSys 2023, arXiv 2205.05198), Table 2.
///
/// With s the sequence length, b the microbatch size, h the hidden size, a the attention heads and
/// t the tensor-parallel size:
///
/// | configuration | bytes per layer |
/// | --- | --- |
/// | tensor parallel | sbh(10 + 24/t + 5as/(ht)) |
/// | tensor + sequence parallel | sbh(34/t + 5as/(ht)) |
/// | tensor parallel, selective recompute | sbh(10 + 24/t) |
/// | tensor + sequence parallel, selective recompute | sbh(34/t) |
/// | full recompute | 2sbh (the layer input only) |
///
/// With t = 1 the first row is the unparallelised sbh(34 + 5as/h).
public enum ActivationMemory {
  public static func bytesPerLayer(
    seqLen: Int, microbatch: Int, hidden: Int, heads: Int, tensorParallel: Int = 1,
    sequenceParallel: Bool = false, recompute: Recompute = .none
  ) -> Double {
    let s = Double(seqLen)
    let b = Double(microbatch)
    let h = Double(hidden)
    let a = Double(heads)
    let t = Double(tensorParallel)
    let sbh = s * b * h
    // 5as/h: the attention core (softmax input and output, dropout mask, QKᵀ), per sbh.
    let attentionCore = 5 * a * s / h
    // 34 = 10 (stored by every rank without sequence parallelism: layer-norm inputs and dropout
    // masks) + 24 (split by tensor parallelism: QKV, projections and MLP inputs).
    let replicated = sequenceParallel ? 10 / t : 10
    switch recompute {
    case .full:
      return 2 * sbh
    case .selective:
      return sbh * (replicated + 24 / t)
    case .none:
      return sbh * (replicated + 24 / t + attentionCore / t)
    }
  }
}
