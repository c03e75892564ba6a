/// Which activations the backward pass recomputes instead of storing.
///
/// The three named policies are the layout search's choices; `modules` and `fullLayers` are
/// Megatron-Core's finer policies (`megatron/core/transformer/transformer_config.py`:
/// `recompute_granularity`, `recompute_modules`, `recompute_method: block`,
/// `recompute_num_layers`), written in a config and never searched.
public enum Recompute: Sendable, Hashable {
  /// Store every activation.
  case none
  /// Recompute the attention core (softmax, its dropout, QKᵀ and the product with V), store the
  /// rest (Korthikanti et al. §5); with the flash kernel, the norms and activation functions.
  case selective
  /// Store only each layer's input; recompute the whole layer.
  case full
  /// Recompute the named modules of every layer in the backward pass, store the rest
  /// (Megatron-Core's `recompute_granularity: selective` with `recompute_modules`).
  case modules(Set<RecomputeModule>)
  /// Recompute the whole of the first `n` layers of each pipeline chunk, store all of the others
  /// (Megatron-Core's `recompute_granularity: full`, `recompute_method: block`,
  /// `recompute_num_layers: n`).
  case fullLayers(Int)

  /// The policies the layout search tries, from the least memory saved to the most.
  public static let allCases: [Recompute] = [.none, .selective, .full]

  /// How reports and layout text name the policy: `none`, `selective`, `full`, the modules
  /// joined by `+` (`layernorm+mlp`), or `full_layers 4`.
  public var name: String {
    switch self {
    case .none: "none"
    case .selective: "selective"
    case .full: "full"
    case .modules(let modules): modules.sorted().map(\.rawValue).joined(separator: "+")
    case .fullLayers(let layers): "full_layers \(layers)"
    }
  }

  /// Whether the policy recomputes `module` in every layer (only `modules` names them).
  func recomputes(_ module: RecomputeModule) -> Bool {
    if case .modules(let modules) = self { return modules.contains(module) }
    return false
  }
}

/// A part of a transformer layer that selective recomputation can run again in the backward
/// pass, by Megatron-Core's name for it (`TransformerConfig.recompute_modules`).
///
/// `core_attn`, `mlp`, `moe` and `shared_experts` are checkpointed normally: the module's input is
/// kept and everything it stores inside is dropped. `layernorm`, `moe_act` and `mla_up_proj`
/// discard their output after the next module has used it (`CheckpointWithoutOutput`) and
/// recompute it before that module's backward.
public enum RecomputeModule: String, Sendable, Hashable, CaseIterable, Comparable {
  /// The attention core (QKᵀ, softmax, dropout and the product with V).
  case coreAttention = "core_attn"
  /// The two layer norms (`input_layernorm`, `pre_mlp_layernorm`).
  case layerNorm = "layernorm"
  /// Multi-head latent attention's up projections and rotary embedding (MLA models only).
  case latentUpProjection = "mla_up_proj"
  /// The dense FFN (of layers without experts only; Megatron-Core's `TransformerLayer` applies
  /// `mlp` only where the layer's MLP is not an `MoELayer`).
  case mlp
  /// The whole mixture-of-experts layer: router, dispatch, experts, combine.
  case moe
  /// The routed experts' activation function.
  case moeActivation = "moe_act"
  /// The shared experts of an MoE layer.
  case sharedExperts = "shared_experts"

  public static func < (a: RecomputeModule, b: RecomputeModule) -> Bool {
    a.rawValue < b.rawValue
  }
}
