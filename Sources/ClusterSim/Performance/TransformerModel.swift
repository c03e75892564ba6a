/// The shape of a decoder-only transformer, dense or mixture-of-experts, and the FLOPs and
/// parameters that follow from it.
///
/// Counts are matrix multiplications at 2 FLOPs per multiply-add, the convention of Narayanan et
/// al., "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM" (SC '21,
/// §5.1 and Appendix: eq. 3); layer norms, softmax and activations are left out, as there.
public struct TransformerModel: Sendable, Hashable {
  /// Dense: every layer has one FFN. MoE: layers after the first `denseLayers` route each token to
  /// `expertsPerToken` of `routedExperts` experts, plus `sharedExperts` always-on ones.
  public enum Kind: String, Sendable, Hashable, CaseIterable { case dense, moe }

  public var kind: Kind
  public var layers: Int
  public var hidden: Int
  /// Hidden size of the dense FFN (of the first `denseLayers` layers for MoE).
  public var ffn: Int
  public var heads: Int
  /// Key/value heads (grouped-query attention); equal to `heads` for multi-head attention.
  public var kvHeads: Int
  public var vocab: Int
  /// Whether FFNs are gated (SwiGLU: three matrices) or plain (GeLU: two).
  public var gatedFFN: Bool
  /// MoE only: experts per MoE layer a token may be routed to.
  public var routedExperts: Int
  /// MoE only: experts every token passes through.
  public var sharedExperts: Int
  /// MoE only: routed experts per token.
  public var expertsPerToken: Int
  /// MoE only: hidden size of one expert's FFN.
  public var expertFFN: Int
  /// MoE only: leading layers with a dense FFN instead of experts.
  public var denseLayers: Int
  /// Whether the layers apply dropout (GPT-2/3 and Megatron's GPT do; Llama and DeepSeek do not):
  /// it decides only the masks stored for the backward pass.
  public var dropout: Bool
  /// Multi-head latent attention (DeepSeek-V2/V3), when the keys and values are cached as one
  /// compressed latent per token instead of per-head keys and values.
  public var latentAttention: LatentAttention?
  /// Width of one attention head's queries, keys and values (`hidden / heads` unless given).
  public var headDim: Int

  /// DeepSeek's multi-head latent attention (arXiv 2405.04434 §2.1; V3: arXiv 2412.19437 §2.1):
  /// each token caches a `kvRank`-wide latent and a `ropeDim`-wide decoupled rotary key shared
  /// by every head.
  public struct LatentAttention: Sendable, Hashable {
    public var kvRank: Int
    public var ropeDim: Int

    public init(kvRank: Int, ropeDim: Int) {
      self.kvRank = kvRank
      self.ropeDim = ropeDim
    }
  }

  public init(
    kind: Kind = .dense, layers: Int, hidden: Int, ffn: Int? = nil, heads: Int,
    kvHeads: Int? = nil, vocab: Int, gatedFFN: Bool = false, routedExperts: Int = 0,
    sharedExperts: Int = 0, expertsPerToken: Int = 0, expertFFN: Int = 0, denseLayers: Int = 0,
    dropout: Bool = false, latentAttention: LatentAttention? = nil, headDim: Int? = nil
  ) {
    self.kind = kind
    self.layers = layers
    self.hidden = hidden
    self.ffn = ffn ?? 4 * hidden
    self.heads = heads
    self.kvHeads = kvHeads ?? heads
    self.vocab = vocab
    self.gatedFFN = gatedFFN
    self.routedExperts = routedExperts
    self.sharedExperts = sharedExperts
    self.expertsPerToken = expertsPerToken
    self.expertFFN = expertFFN
    self.denseLayers = kind == .dense ? layers : denseLayers
    self.dropout = dropout
    self.latentAttention = latentAttention
    self.headDim = headDim ?? hidden / heads
  }

  /// Width of the query projection and of the output projection's input: `heads × headDim`
  /// (Vaswani et al., 2017, §3.2.2: W^Q is d_model × h·d_k, W^O is h·d_v × d_model). It differs
  /// from `hidden` where `head_dim` is set apart from `hidden / heads` (Qwen3-30B-A3B: hidden
  /// 2,048 but 32 heads of 128, `config.json` of Qwen/Qwen3-30B-A3B; gpt-oss-120b: hidden 2,880,
  /// 64 heads of 64, `config.json` of openai/gpt-oss-120b). Multi-head latent attention keeps
  /// `hidden`: its projections pass through the latent and are not described by the shape (the
  /// `flops_per_token` override prices them).
  var queryWidth: Double {
    latentAttention == nil ? Double(heads) * Double(headDim) : Double(hidden)
  }

  /// Width of each of the key and value projections: `kvHeads × headDim` (grouped-query
  /// attention, Ainslie et al., EMNLP 2023), or `kvHeads × hidden / heads` with multi-head latent
  /// attention (see `queryWidth`).
  var kvWidth: Double {
    latentAttention == nil
      ? Double(kvHeads) * Double(headDim) : Double(kvHeads) * Double(hidden) / Double(heads)
  }

  /// Matrices per FFN: 3 when gated (gate, up, down), else 2.
  var ffnMatrices: Double { gatedFFN ? 3 : 2 }

  /// Layers whose FFN is a mixture of experts.
  public var moeLayers: Int { layers - denseLayers }

  // MARK: Parameters

  /// Attention parameters of one layer: Q is h×queryWidth, O queryWidth×h, K and V h×kvWidth
  /// (2h² + 2h·kvWidth when heads × headDim = h).
  var attentionParamsPerLayer: Double {
    let h = Double(hidden)
    return 2 * h * queryWidth + 2 * h * kvWidth
  }

  /// Parameters of one FFN of hidden size `width`.
  func ffnParams(width: Int) -> Double { ffnMatrices * Double(hidden) * Double(width) }

  /// Parameters of the layers with `expertsPerMoELayer` expert FFNs counted in each MoE layer:
  /// attention of every layer, the dense FFNs, the experts and the router.
  func layerParams(expertsPerMoELayer: Int) -> Double {
    let experts = Double(expertsPerMoELayer) * ffnParams(width: expertFFN)
    let router = Double(hidden) * Double(routedExperts)
    return Double(layers) * attentionParamsPerLayer + Double(denseLayers) * ffnParams(width: ffn)
      + Double(moeLayers) * (experts + router)
  }

  /// All parameters: every layer with every expert, input embedding and output projection
  /// (untied).
  public var totalParams: Double {
    layerParams(expertsPerMoELayer: routedExperts + sharedExperts)
      + 2 * Double(vocab) * Double(hidden)
  }

  /// Parameters one token passes through: only `expertsPerToken` routed experts (plus the shared
  /// ones) per MoE layer, and the output projection; the input embedding is a look-up, not a
  /// matrix product.
  public var activeParams: Double {
    layerParams(expertsPerMoELayer: expertsPerToken + sharedExperts)
      + Double(vocab) * Double(hidden)
  }

  // MARK: FLOPs

  /// Forward FLOPs per token of the transformer layers (logits excluded) at sequence length
  /// `seqLen`: 2 × active layer parameters for the projections and FFNs, plus attention scores and
  /// the weighted sum of values, 2·s·h each (Megatron eq. 3 counts the full s×s matrix; a causal
  /// kernel computes about half of it, `causal: true`).
  public func layerForwardFLOPsPerToken(seqLen: Int, causal: Bool = false) -> Double {
    2 * layerParams(expertsPerMoELayer: expertsPerToken + sharedExperts)
      + attentionCoreForwardFLOPsPerToken(seqLen: seqLen, causal: causal)
  }

  /// Forward FLOPs per token of the attention cores of all layers: 4·s·queryWidth per layer
  /// (QKᵀ and the product with V over every head; 4·s·h when heads × headDim = h), half when
  /// causal.
  public func attentionCoreForwardFLOPsPerToken(seqLen: Int, causal: Bool = false) -> Double {
    Double(layers) * 4 * Double(seqLen) * queryWidth * (causal ? 0.5 : 1)
  }

  /// Forward FLOPs per token of the output projection to the vocabulary: 2·h·V.
  public var logitForwardFLOPsPerToken: Double { 2 * Double(hidden) * Double(vocab) }

  /// Training FLOPs per token: forward, backward (twice the forward: gradients with respect to
  /// inputs and to weights), and, with full recomputation, one more forward of the layers (the
  /// logits are not recomputed). For a GPT layer (ffn = 4h, plain FFN, multi-head attention) this
  /// is Megatron's eq. 3 per token: 72·l·h²·(1 + s/6h + V/12lh), or 96·l·h²·(1 + s/6h + V/16lh)
  /// with full recomputation.
  public func trainingFLOPsPerToken(
    seqLen: Int, fullRecompute: Bool = false, causal: Bool = false
  ) -> Double {
    let layersForward = layerForwardFLOPsPerToken(seqLen: seqLen, causal: causal)
    let passes = fullRecompute ? 4.0 : 3.0
    return passes * layersForward + 3 * logitForwardFLOPsPerToken
  }
}
