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
/// | full recompute, sequence parallel | 2sbh/t |
///
/// With t = 1 the first row is the unparallelised sbh(34 + 5as/h). Under sequence parallelism the
/// tensor between layers is already split along the sequence over the tensor-parallel ranks, so
/// the input that full recomputation keeps is 2sbh/t (Korthikanti et al. §4.2.2; Megatron-LM
/// checkpoints that sequence-split `hidden_states`, which is why its TransformerConfig refuses
/// `distribute_saved_activations`, the same split for runs without it, together with
/// `sequence_parallel`).
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
    // Table 2 has rows for the attention core only: a module list is read for `core_attn`, and a
    // layer outside the first `full_layers` of its chunk stores everything.
    switch recompute {
    case .full:
      return sequenceParallel ? 2 * sbh / t : 2 * sbh
    case .selective:
      return sbh * (replicated + 24 / t)
    case .modules where recompute.recomputes(.coreAttention):
      return sbh * (replicated + 24 / t)
    case .none, .modules, .fullLayers:
      return sbh * (replicated + 24 / t + attentionCore / t)
    }
  }
}

extension ActivationMemory {
  /// Table 2 generalised to any layer of `model` (16-bit activations), per microbatch of
  /// `microbatch` sequences, on one GPU of a layout with `tensorParallel` and `contextParallel`
  /// ranks (each context-parallel rank holds s/cp tokens).
  ///
  /// Per token, following Korthikanti et al. §4.1's inventory: 10h replicated across
  /// tensor-parallel ranks unless sequence parallelism splits it (layer-norm inputs 4h, inputs of
  /// the QKV and first FFN projections 2h each, two dropout masks 1h each); split over t: Q
  /// 2·heads·headDim (2h when that is h), K and V 2 × 2·kvWidth, the output projection's input
  /// 2·heads·headDim, the FFN's inner activations (4·ffn for
  /// GeLU: its input and output; 6·ffn for SwiGLU: gate, up and their product); for an MoE layer,
  /// each routed and shared expert's inner activations plus the routed copies of the input (2h per
  /// routed expert). The attention core adds 5·a·s per token (scores, softmax, dropout mask and
  /// output; 2·a·s, the softmax output alone, without dropout) with the unfused kernel and no
  /// recomputation. Full recomputation stores the layer input only: 2h per token, split over t
  /// under sequence parallelism (see the table above). For a GPT layer
  /// (ffn = 4h, GeLU, multi-head, dropout) this is exactly Table 2.
  ///
  /// Selective recomputation with the unfused kernel recomputes the attention core (Korthikanti
  /// et al. §5). The flash kernel never stores the core, so with it selective recomputation
  /// recomputes the cheap element-wise modules instead: the norms' outputs (the projection
  /// inputs) and the FFN activation's output (Megatron-Core's `--recompute-modules layernorm
  /// moe_act`; DeepSeek-V3 technical report, arXiv 2412.19437, §3.3.3).
  ///
  /// A list of modules (`Recompute.modules`, Megatron-Core's `recompute_modules`) drops these
  /// terms, per token, and keeps every other:
  /// - `core_attn`: the attention core, 5·a·s/t (2·a·s/t without dropout); nothing with the flash
  ///   kernel, which never stores the core (its output is the output projection's input, kept).
  /// - `layernorm`: the two norm outputs, 2·2h (replicated unless sequence-parallel); the norm
  ///   inputs (4h) stay, they are what the norms are recomputed from.
  /// - `mla_up_proj` (latent-attention models only): Q, K and V, (2·queryWidth + 4·kvWidth)/t,
  ///   the up projections' outputs; the latents they are recomputed from are not in the inventory.
  /// - `mlp` (layers without experts): the FFN's inner activations, inner·ffn/t; its input (the
  ///   norm output) stays.
  /// - `moe` (MoE layers): all of the experts' terms, routed and shared inner activations and the
  ///   routed copies of the input; its input stays.
  /// - `moe_act` (MoE layers): the routed experts' activation output, the down projection's
  ///   input, k·expertFFN·2/t (k·expertFFN/t when cached in FP8).
  /// - `shared_experts` (MoE layers): the shared experts' inner activations.
  /// A layer of a `full_layers` policy is priced here as stored in full (`.none`); the chunk's
  /// mix of recomputed and stored layers is `StepTimeModel.memory`'s.
  ///
  /// With `fp8Inputs`, the inputs of the projections and experts (QKV and FFN inputs, the output
  /// projection's input, the routed copies and the SwiGLU inputs) are cached in FP8, one byte per
  /// value, as DeepSeek-V3 does (same section).
  public static func bytesPerLayer(
    model: TransformerModel, moeLayer: Bool, seqLen: Int, microbatch: Int,
    tensorParallel: Int = 1, contextParallel: Int = 1, sequenceParallel: Bool = false,
    recompute: Recompute = .none, attentionKernel: AttentionKernel = .unfused,
    dropout: Bool = true, fp8Inputs: Bool = false
  ) -> Double {
    let h = Double(model.hidden)
    let t = Double(tensorParallel)
    let tokens = Double(seqLen) * Double(microbatch) / Double(contextParallel)
    if recompute == .full { return 2 * h * tokens / (sequenceParallel ? t : 1) }
    // Bytes of a value that feeds a projection: 2, or 1 when cached in FP8.
    let input = fp8Inputs ? 1.0 : 2.0
    let flash = attentionKernel == .flash
    // Norm outputs and activation outputs are recomputed (selective with the flash kernel).
    let recomputeCheap = flash && recompute == .selective
    let normOutput = recomputeCheap || recompute.recomputes(.layerNorm) ? 0 : input
    // Inner FFN activations per unit of width: GeLU stores its input (2) and output (the down
    // projection's input); SwiGLU stores gate and up outputs (its inputs) and their product.
    let activationOutput = recomputeCheap ? 0 : input
    let inner = model.gatedFFN ? 2 * input + activationOutput : 2 + activationOutput
    let ffn: Double
    if moeLayer {
      // Per unit of expert width, the routed and the shared experts' inner activations.
      let routed = recompute.recomputes(.moeActivation) ? inner - activationOutput : inner
      let shared = recompute.recomputes(.sharedExperts) ? 0 : inner
      let experts = Double(model.expertsPerToken) * routed + Double(model.sharedExperts) * shared
      ffn =
        recompute.recomputes(.moe)
        ? 0 : experts * Double(model.expertFFN) + input * h * Double(model.expertsPerToken)
    } else {
      ffn = recompute.recomputes(.mlp) ? 0 : inner * Double(model.ffn)
    }
    // Layer-norm inputs 4h, dropout masks 2h, and the two norm outputs feeding projections.
    let replicatedBytes = 4 * h + (dropout ? 2 * h : 0) + 2 * normOutput * h
    let replicated = sequenceParallel ? replicatedBytes / t : replicatedBytes
    // Q 2·queryWidth, K and V 2·kvWidth each, the output projection's input (queryWidth wide).
    let q = model.queryWidth
    let upProjected = model.latentAttention != nil && recompute.recomputes(.latentUpProjection)
    let qkv = upProjected ? 0 : 2 * q + 4 * model.kvWidth
    let split = (qkv + input * q + ffn) / t
    let coreStored =
      switch recompute {
      case .none, .fullLayers: true
      case .modules: !recompute.recomputes(.coreAttention)
      case .selective, .full: false
      }
    let core =
      coreStored && !flash ? (dropout ? 5 : 2) * Double(model.heads) * Double(seqLen) / t : 0
    return tokens * (replicated + split + core)
  }
}
