/// What the backward pass of one layer runs again under a recomputation policy, beyond the
/// backward itself.
struct RecomputedWork {
  /// The recomputed forward work of one layer for one microbatch.
  var pass = PassSeconds()
  /// Tensor-parallel collectives run again, as a fraction of the layer's forward ones (1 for a
  /// whole layer; a dense or MoE FFN holds one of the forward's two).
  var tensorParallelShare = 0.0
  /// Context-parallel ring passes run again, as a fraction of the forward's (the attention core
  /// holds them all).
  var contextParallelShare = 0.0
  /// Expert-parallel dispatch and combine run again, as a fraction of the forward's.
  var expertParallelShare = 0.0
}

extension StepTimeModel {
  /// The forward work of one layer that a `modules` policy runs again in the backward pass, for
  /// one microbatch: each recomputed module's matrix multiplies at the efficiency the forward
  /// gives them, the attention core at its kernel's rate, and the element-wise traffic of the
  /// activations the modules no longer store (the forward's element-wise kernels write what the
  /// layer stores and read it back once: 2 × the bytes the policy drops, over HBM), with the
  /// collectives inside a recomputed module (Megatron-Core checkpoints `mlp` and `moe` with the
  /// tensor-parallel and expert-parallel communication inside them, and `core_attn` with the
  /// context-parallel ring). Which module holds what: `RecomputeModule`; the bytes each drops:
  /// `ActivationMemory.bytesPerLayer(model:...)`.
  ///
  /// `mla_up_proj` runs the up projections from the latent again. The shape gives only the
  /// key-value latent's width (`kv_rank`), so the query's up projection is priced from a latent
  /// of that width too.
  func recomputedWork(
    microbatch: Int, moe: Bool, forward: PassSeconds, modules: Set<RecomputeModule>
  ) -> RecomputedWork {
    var work = RecomputedWork()
    let tokens = tokens(microbatch)
    let t = Double(layout.tensor)
    if modules.contains(.coreAttention) {
      work.pass.attention += forward.attention
      work.contextParallelShare = 1
    }
    if let latent = model.latentAttention, modules.contains(.latentUpProjection) {
      let width = (model.queryWidth + 2 * model.kvWidth) / t
      work.pass.gemm += gemmSeconds(m: tokens, n: width, k: Double(latent.kvRank))
    }
    if moe {
      let experts = expertGEMMs(tokens: tokens)
      if modules.contains(.moe) {
        work.pass.gemm += experts.routed + experts.sharedUp + experts.sharedDown + experts.router
        let etp = Double(layout.expertTensorSize)
        work.pass.elementwise += permutationSeconds(tokens: tokens * etp / t)
        work.pass.elementwise += efficiency.moeLayerOverheadUS * 1e-6
        work.tensorParallelShare = 0.5
        work.expertParallelShare = 1
      } else if modules.contains(.sharedExperts) {
        work.pass.gemm += experts.sharedUp + experts.sharedDown
      }
    } else if modules.contains(.mlp) {
      let ffn = denseFFNGEMMs(tokens: tokens)
      work.pass.gemm += ffn.up + ffn.down
      work.tensorParallelShare = 0.5
    }
    func stored(_ recompute: Recompute) -> Double {
      activationBytesPerLayer(
        microbatch: microbatch, moe: moe, recompute: recompute, fp8Inputs: false)
    }
    let dropped = stored(.none) - stored(.modules(modules))
    work.pass.elementwise += 2 * dropped / hbmBytesPerSecond
    return work
  }

  /// Of the `layers` layers a device runs per microbatch, the fraction a `full_layers` policy
  /// recomputes whole: the first n of each of its chunks, at most all of them.
  func fullyRecomputedFraction(layers: Int) -> Double {
    guard case .fullLayers(let n) = layout.recompute, layers > 0 else { return 0 }
    return min(1, Double(n * chunksPerDevice) / Double(layers))
  }
}
