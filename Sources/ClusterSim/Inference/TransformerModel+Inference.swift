import Foundation

/// What serving a transformer reads and computes per token: the KV cache, the weights split into
/// the part every token uses and the routed experts, and the attention core at a context length
/// (`docs/model.md`, "Inference").
extension TransformerModel {
  /// Values cached per token and layer: the latent and the rotary key for MLA (d_c + d_h^R,
  /// DeepSeek-V2 §2.1.4), a key and a value per key/value head otherwise (2·n_kv·d_h).
  public var kvValuesPerTokenPerLayer: Double {
    if let mla = latentAttention { return Double(mla.kvRank + mla.ropeDim) }
    return 2 * Double(kvHeads) * Double(headDim)
  }

  /// Bytes of KV cache per token at `bytesPerValue` (2 for bf16): DeepSeek-V3 61 × 576 × 2 =
  /// 70,272; Llama 3.1 405B 126 × 2 × 8 × 128 × 2 = 516,096 (ISCA '25, Table 1).
  public func kvBytesPerToken(bytesPerValue: Double = 2) -> Double {
    Double(layers) * kvValuesPerTokenPerLayer * bytesPerValue
  }

  /// Parameters of one expert's FFN.
  var expertParams: Double { ffnParams(width: expertFFN) }

  /// Parameters every token passes through, the routed experts excepted: attention, the dense
  /// FFNs, the shared experts, the routers and the output projection (the input embedding is a
  /// look-up).
  var nonRoutedParams: Double {
    layerParams(expertsPerMoELayer: sharedExperts) + Double(vocab) * Double(hidden)
  }

  /// Parameters of the routed experts of one MoE layer.
  var routedParamsPerLayer: Double { Double(routedExperts) * expertParams }

  /// Attention-core FLOPs per new token per cached position and layer. Generation (decode) with
  /// MLA absorbs the up-projections into the query and output (DeepSeek-V2 §2.1.3), so each head
  /// scores the latent and the rotary key and sums latents: 2·n_h·(2·d_c + d_h^R). Prefill with
  /// MLA, and every other attention, scores and sums per-head keys and values: 2·n_h·(2·d_h),
  /// plus the rotary part for MLA.
  func attentionFLOPsPerPosition(decode: Bool) -> Double {
    let heads = Double(self.heads)
    guard let mla = latentAttention else { return 4 * heads * Double(headDim) }
    if decode { return 2 * heads * Double(2 * mla.kvRank + mla.ropeDim) }
    return 2 * heads * Double(2 * headDim + mla.ropeDim)
  }

  /// Expected distinct experts of `experts` a batch of `tokens` touches when each token picks
  /// `perToken` of them uniformly: E·(1 − (1 − k/E)^B).
  public static func distinctExperts(experts: Int, perToken: Int, tokens: Double) -> Double {
    guard experts > 0, tokens > 0 else { return 0 }
    let e = Double(experts)
    return e * (1 - pow(1 - Double(perToken) / e, tokens))
  }
}
