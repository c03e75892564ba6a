import Foundation

/// Seconds of one pass (forward, or backward) of one microbatch through one layer on one GPU.
struct PassSeconds {
  /// Matrix multiplies (projections, FFNs, experts).
  var gemm: Double = 0
  /// The attention core (QKᵀ and the product with V).
  var attention: Double = 0
  /// Memory-bound element-wise kernels.
  var elementwise: Double = 0
  var compute: Double { gemm + attention + elementwise }

  static func * (a: PassSeconds, k: Double) -> PassSeconds {
    PassSeconds(gemm: a.gemm * k, attention: a.attention * k, elementwise: a.elementwise * k)
  }

  static func + (a: PassSeconds, b: PassSeconds) -> PassSeconds {
    PassSeconds(
      gemm: a.gemm + b.gemm, attention: a.attention + b.attention,
      elementwise: a.elementwise + b.elementwise)
  }
}

extension StepTimeModel {
  var layout: ParallelLayout { job.layout }
  var model: TransformerModel { job.model }
  var efficiency: Efficiency { chip.efficiency }


  /// The link between ranks `stride` GPUs apart in a group of `size`: NVLink when the whole
  /// group fits in the GPUs NVLink joins (a node, or a rack's NVLink domain).
  func link(stride: Int, size: Int) -> Link {
    stride * size <= nvlinkGPUs ? nvlink : network
  }

  // MARK: Compute

  /// Factors that bring the derived FLOPs to `flops_per_token` when the job overrides it. The
  /// override exists for attention variants (MLA, sliding windows) the shape does not describe,
  /// so the difference goes to the attention core; an override below the projections' own count
  /// scales everything.
  static func flopScales(for job: TrainingJob) -> (gemm: Double, attention: Double) {
    guard let override = job.flopsPerTokenOverride else { return (1, 1) }
    let model = job.model
    let causal = job.attentionKernel == .flash
    let derived = model.trainingFLOPsPerToken(seqLen: job.seqLen, causal: causal)
    let attention = 3 * model.attentionCoreForwardFLOPsPerToken(seqLen: job.seqLen, causal: causal)
    let projections = derived - attention
    if override >= projections, attention > 0 {
      return (1, (override - projections) / attention)
    }
    return (override / derived, override / derived)
  }

  /// Peak FLOP/s and large-GEMM efficiency for a precision (the attention core runs in 16 bits).
  func peakAndEfficiency(_ precision: Precision) -> (peak: Double, gemm: Double) {
    if precision == job.precision { return rates.job }
    if precision == .bf16 { return rates.bf16 }
    return Self.peakAndEfficiency(precision, chip: chip, job: job)
  }

  static func peakAndEfficiency(_ precision: Precision, chip: Chip, job: TrainingJob) -> (
    peak: Double, gemm: Double
  ) {
    let peak = chip.peakFLOPS(precision) ?? chip.peakFLOPS(job.precision) ?? 1
    let gemm =
      chip.efficiency.gemm(for: precision) ?? chip.efficiency.gemm(for: job.precision) ?? 0.5
    return (peak, gemm)
  }

  /// One m×k by k×n matrix multiply: its FLOPs 2mkn at the size-dependent efficiency
  /// gemm · F/(F + F½), or its operands streamed through HBM, whichever is slower (the
  /// roofline of Williams, Waterman and Patterson, CACM 2009).
  func gemmSeconds(
    m: Double, n: Double, k: Double, precision: Precision? = nil, expert: Bool = false
  ) -> Double {
    let precision = precision ?? job.precision
    var (peak, gemm) = peakAndEfficiency(precision)
    if expert { gemm *= expertGEMM }
    let flops = 2 * m * n * k * flopScales.gemm
    let compute = (flops + (expert ? expertGEMMHalfFLOPs : gemmHalfFLOPs)) / (peak * gemm)
    let bytesPerValue = precision.bytesPerValue
    let memory = bytesPerValue * (m * k + k * n + m * n) / hbmBytesPerSecond
    return max(compute, memory)
  }

  /// Tokens of one microbatch on one GPU: b·s/cp.
  func tokens(_ microbatch: Int) -> Double {
    Double(microbatch) * Double(job.seqLen) / Double(layout.context)
  }

  /// Forward of one layer for one microbatch on one GPU.
  func layerForward(microbatch: Int, moe: Bool) -> PassSeconds {
    let t = Double(layout.tensor)
    let h = Double(model.hidden)
    let tokens = tokens(microbatch)
    var pass = PassSeconds()
    let q = model.queryWidth
    pass.gemm += gemmSeconds(m: tokens, n: (q + 2 * model.kvWidth) / t, k: h)
    pass.gemm += gemmSeconds(m: tokens, n: h, k: q / t)
    if moe {
      let experts = expertGEMMs(tokens: tokens)
      pass.gemm += experts.routed
      if model.sharedExperts > 0 {
        pass.gemm += experts.sharedUp
        pass.gemm += experts.sharedDown
      }
      pass.gemm += experts.router
      pass.elementwise += permutationSeconds(tokens: tokens * Double(layout.expertTensorSize) / t)
      pass.elementwise += efficiency.moeLayerOverheadUS * 1e-6
    } else {
      let ffn = denseFFNGEMMs(tokens: tokens)
      pass.gemm += ffn.up
      pass.gemm += ffn.down
    }
    // Attention core: QKᵀ and scores × V, 2·s·heads·headDim FLOPs each per token (half for a
    // causal flash kernel), in the step's 16-bit format (fp16 for an fp16 step, else bf16),
    // batched over heads as one operation.
    let causal = job.attentionKernel == .flash ? 0.5 : 1
    let coreFLOPs = 4 * tokens * Double(job.seqLen) * q / t * causal * flopScales.attention
    let (peak, gemm) = peakAndEfficiency(job.precision == .fp16 ? .fp16 : .bf16)
    pass.attention =
      job.attentionKernel == .flash
      ? coreFLOPs / (peak * flashAttentionEfficiency)
      : (coreFLOPs + gemmHalfFLOPs) / (peak * gemm)
    // Element-wise kernels write the activations the layer stores and read them back once.
    let stored = activationBytesPerLayer(
      microbatch: microbatch, moe: moe, recompute: .none, fp8Inputs: false)
    pass.elementwise += 2 * stored / hbmBytesPerSecond
    return pass
  }

  /// The matrix multiplies of one MoE layer's experts for `tokens` tokens on one GPU: the local
  /// routed experts' up and down projections, the shared experts' up and down projections, and
  /// the router. Each expert is split over etp ranks and takes the tokens of the ep·etp GPUs it
  /// serves: the tp group's T tokens are shared out over its tp/etp expert-tensor groups, so the
  /// expert work per GPU, T·k/tp expert FFNs, does not depend on etp; only the shapes do.
  func expertGEMMs(tokens: Double) -> (
    routed: Double, sharedUp: Double, sharedDown: Double, router: Double
  ) {
    let t = Double(layout.tensor)
    let h = Double(model.hidden)
    let width = model.gatedFFN ? 2.0 : 1.0
    let expertFFN = Double(model.expertFFN)
    let localExperts = Double(model.routedExperts / layout.expert)
    let etp = Double(layout.expertTensorSize)
    let perExpert =
      tokens * Double(model.expertsPerToken) * Double(layout.expert)
      / Double(model.routedExperts) * (etp / t)
    let up = gemmSeconds(m: perExpert, n: width * expertFFN / etp, k: h, expert: true)
    let down = gemmSeconds(m: perExpert, n: h, k: expertFFN / etp, expert: true)
    let shared = Double(model.sharedExperts) * expertFFN
    let sharedUp =
      model.sharedExperts > 0
      ? gemmSeconds(m: tokens, n: width * shared / t, k: h, expert: true) : 0
    let sharedDown =
      model.sharedExperts > 0 ? gemmSeconds(m: tokens, n: h, k: shared / t, expert: true) : 0
    let router = gemmSeconds(m: tokens, n: Double(model.routedExperts), k: h, precision: .bf16)
    return (localExperts * (up + down), sharedUp, sharedDown, router)
  }

  /// The up (gate and up when gated) and down projections of one dense FFN for `tokens` tokens
  /// on one GPU.
  func denseFFNGEMMs(tokens: Double) -> (up: Double, down: Double) {
    let t = Double(layout.tensor)
    let width = model.gatedFFN ? 2.0 : 1.0
    let ffn = Double(model.ffn)
    let h = Double(model.hidden)
    return (gemmSeconds(m: tokens, n: width * ffn / t, k: h), gemmSeconds(m: tokens, n: h, k: ffn / t))
  }

  /// Fraction of the bf16 peak the flash kernel's forward reaches: `attention · w/(w + w½)`, with
  /// w = 4 × keys × head size the FLOPs of one query row and head per kernel call, the keys those
  /// a call sees: s/cp per ring step (Liu et al., "Ring Attention", 2023), half of them on average
  /// under a causal mask. Short rows and small heads run slower (FlashAttention-3, Shah et al.
  /// 2024, Figure 5; the constants in `Efficiency`). The causal ring is load-balanced as
  /// Megatron-Core/Transformer Engine balance it (each rank holds sequence chunks i and 2cp−1−i,
  /// `AttnFuncWithCPAndKVP2P`), so every rank does 1/cp of the causal work.
  var flashAttentionEfficiency: Double {
    let causal = 0.5
    let keys = Double(job.seqLen) / Double(layout.context) * causal
    let headSize = model.queryWidth / Double(model.heads)
    let row = 4 * keys * headSize
    return efficiency.attention * row / (row + efficiency.attentionHalfRowFLOPs)
  }

  /// The routed tokens' permutation into expert order before the expert multiplies and back after
  /// them (Megatron-Core's `permute` and `unpermute`, `megatron/core/transformer/moe/moe_utils.py`,
  /// around the all-to-all of its token dispatcher): `expertPermutePasses` passes over the k
  /// routed rows of h 16-bit values of every token (4 when each copy reads and writes every row),
  /// passes × T·k·h × 2 bytes over HBM for one layer's forward (the backward permutes the gradients
  /// the same way).
  func permutationSeconds(tokens: Double) -> Double {
    let rows = tokens * Double(model.expertsPerToken)
    return efficiency.expertPermutePasses * rows * Double(model.hidden) * 2 / hbmBytesPerSecond
  }

  /// The output projection to the vocabulary, forward, for one microbatch.
  func logitsForward(microbatch: Int) -> Double {
    gemmSeconds(
      m: tokens(microbatch), n: Double(model.vocab) / Double(layout.tensor),
      k: Double(model.hidden))
  }

  // MARK: Communication per layer and microbatch

  /// Tensor-parallel collectives of one forward pass of one layer: two all-reduces of the
  /// layer's b·s·h activations (or, with sequence parallelism, two reduce-scatter + all-gather
  /// pairs of the same cost). Narayanan et al., SC '21 §2.3; Korthikanti et al. §4.2.2.
  func tensorParallelForward(microbatch: Int) -> Double {
    guard layout.tensor > 1 else { return 0 }
    let bytes = 2 * tokens(microbatch) * Double(model.hidden)
    let link = link(stride: 1, size: layout.tensor)
    return 2 * Collectives.allReduceSeconds(bytes: bytes, ranks: layout.tensor, link: link)
  }

  /// Context-parallel forward of one layer: each rank receives the keys and values of the other
  /// cp−1 ranks, passed around a ring (Liu et al., "Ring Attention", 2023).
  func contextParallelForward(microbatch: Int) -> Double {
    guard layout.context > 1 else { return 0 }
    let chunk = 2 * 2 * tokens(microbatch) * model.kvWidth / Double(layout.tensor)
    let link = link(stride: layout.tensor, size: layout.context)
    return Double(layout.context - 1) * Collectives.pointToPointSeconds(bytes: chunk, link: link)
  }

  /// Expert-parallel forward of one MoE layer: dispatch each token to the GPUs of its experts and
  /// combine the results. With routing uniform over the e ranks in G NVLink domains (nodes, or
  /// NVL72 racks), a token reaches (G−1)·(1 − (1 − 1/G)^k) other domains on average; it crosses
  /// the network once per domain and fans out over NVLink (DeepSeek-V3 technical report
  /// §3.2.2). Dispatch is sent in FP8 when the job computes in FP8 or narrower, combine in bf16.
  ///
  /// The ep ranks of a group lie tp·cp GPUs apart when etp is not given (experts carved out of the
  /// data-parallel ranks, outside tp and cp), etp GPUs apart when it is (Megatron-Core's expert
  /// rank generator, tp = etp innermost, then ep, no cp: `megatron/core/parallel_state.py`,
  /// `initialize_model_parallel`); each GPU dispatches its share T·etp/tp of the tp group's
  /// tokens (all T when etp = tp).
  func expertParallelForward(microbatch: Int) -> Double {
    guard layout.expert > 1 else { return 0 }
    let span =
      layout.expertTensor.map { $0 * layout.expert }
      ?? layout.expert * layout.tensor * layout.context
    let nodes = Double(max(1, (span + nvlinkGPUs - 1) / nvlinkGPUs))
    let k = Double(model.expertsPerToken)
    let h = Double(model.hidden)
    let tokens =
      tokens(microbatch) * Double(layout.expertTensorSize) / Double(layout.tensor)
    let dispatchBytes = job.precision.isEightBitOrNarrower ? 1.0 : 2.0
    var seconds = 0.0
    for bytesPerValue in [dispatchBytes, 2.0] {
      let perToken = h * bytesPerValue
      if nodes > 1 {
        let remoteNodes = (nodes - 1) * (1 - pow(1 - 1 / nodes, k))
        let crossNode = tokens * remoteNodes * perToken / network.bytesPerSecond
        let inNode = tokens * k * perToken / nvlink.bytesPerSecond
        seconds += max(crossNode, inNode) + network.latencySeconds
      } else {
        let ranks = Double(layout.expert)
        seconds +=
          tokens * k * (ranks - 1) / ranks * perToken / nvlink.bytesPerSecond
          + nvlink.latencySeconds
      }
    }
    return seconds
  }

  /// Point-to-point send of one microbatch's activations between pipeline stages, split over
  /// the tensor-parallel ranks (Megatron's scatter/gather, SC '21 §4.1).
  func pipelineSend(microbatch: Int) -> Double {
    guard layout.pipeline > 1 else { return 0 }
    let bytes = 2 * tokens(microbatch) * Double(model.hidden) / Double(layout.tensor)
    let stageGPUs = layout.tensor * layout.context * layout.data
    let link = stageGPUs >= nvlinkGPUs ? network : nvlink
    return Collectives.pointToPointSeconds(bytes: bytes, link: link)
  }
}
