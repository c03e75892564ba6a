/// One microbatch's passes through a device's layers, with their communication.
struct MicrobatchSeconds {
  var forwardCompute = 0.0
  /// Backward compute, recomputation included.
  var backwardCompute = 0.0
  /// The weight-gradient half of the backward matrix multiplies (what zero-bubble schedules move
  /// into the bubble).
  var weightGradient = 0.0
  var tensorParallel = Overlapped()
  var contextParallel = Overlapped()
  var expertParallel = Overlapped()
  var pipeline = 0.0
  var forwardExposed = 0.0
  var backwardExposed = 0.0

  /// Critical-path seconds of the forward (F) and backward (B) of one microbatch.
  var forward: Double { forwardCompute + forwardExposed }
  var backward: Double { backwardCompute + backwardExposed }
}

extension StepTimeModel {
  /// Layers each device runs per microbatch (the most any device runs when uneven).
  var layersPerDevice: Int {
    let chunks = job.layout.pipeline * chunksPerDevice
    return (model.layers + chunks - 1) / chunks * chunksPerDevice
  }

  /// Parameters of the routed experts (sharded by expert parallelism), and of everything else.
  var expertAndDenseParams: (expert: Double, dense: Double) {
    let expert =
      Double(model.moeLayers * model.routedExperts) * model.ffnParams(width: model.expertFFN)
    return (expert, model.totalParams - expert)
  }

  /// The passes of one microbatch through `layers` layers of which `moeLayers` are MoE, plus
  /// the logits when `withLogits`.
  func microbatchSeconds(microbatch: Int, layers: Int, moeLayers: Int, withLogits: Bool)
    -> MicrobatchSeconds
  {
    var result = MicrobatchSeconds()
    let kinds = [(moe: true, count: moeLayers), (moe: false, count: layers - moeLayers)]
    let tp = tensorParallelForward(microbatch: microbatch)
    let cp = contextParallelForward(microbatch: microbatch)
    let ep = expertParallelForward(microbatch: microbatch)
    let flash = job.attentionKernel == .flash
    let fullFraction = fullyRecomputedFraction(layers: layers)
    for kind in kinds where kind.count > 0 {
      let n = Double(kind.count)
      let forward = layerForward(microbatch: microbatch, moe: kind.moe)
      // Backward: input and weight gradients, each as many FLOPs as the forward GEMMs
      // (Narayanan et al., SC '21, App.); the flash backward recomputes the scores, 2.5× its
      // forward (Dao, "FlashAttention-2", 2023, §3.1.2: five matrix multiplies against two), at
      // `attentionBackward` of the forward's rate.
      let flashBackward = 2.5 / efficiency.attentionBackward
      var backward = PassSeconds(
        gemm: 2 * forward.gemm, attention: (flash ? flashBackward : 2) * forward.attention,
        elementwise: 2 * forward.elementwise)
      // What the backward runs again, and the share of the layer's collectives in it.
      var again = RecomputedWork()
      switch layout.recompute {
      case .none:
        break
      case .full:
        again = RecomputedWork(
          pass: forward, tensorParallelShare: 1, contextParallelShare: 1, expertParallelShare: 1)
      case .selective:
        // Unfused: the attention core again; flash: the norms and activation functions, a part
        // of the element-wise work (counted as all of it).
        if flash {
          again.pass.elementwise = forward.elementwise
        } else {
          again.pass.attention = forward.attention
        }
      case .modules(let modules):
        again = recomputedWork(
          microbatch: microbatch, moe: kind.moe, forward: forward, modules: modules)
      case .fullLayers:
        // The whole forward of the fraction of the layers recomputed (block method).
        again = RecomputedWork(
          pass: forward * fullFraction, tensorParallelShare: fullFraction,
          contextParallelShare: fullFraction, expertParallelShare: fullFraction)
      }
      backward = backward + again.pass
      result.forwardCompute += n * forward.compute
      result.backwardCompute += n * backward.compute
      // Offloaded layers' copies to and from host memory, where their passes cannot hide them.
      let offloaded = Double(kind.moe ? offloadedLayers.moe : offloadedLayers.dense)
      if offloaded > 0 {
        result.forwardCompute +=
          offloaded
          * offloadExposure(microbatch: microbatch, moe: kind.moe, window: forward.compute)
        result.backwardCompute +=
          offloaded
          * offloadExposure(microbatch: microbatch, moe: kind.moe, window: backward.compute)
      }
      result.weightGradient += n * forward.gemm
      // Overlapped (`overlap_tp_comm`), the collectives hide behind the fraction `tpOverlap` of
      // the pass's matrix multiplies they are decomposed with (Wang et al., "Overlap
      // Communication with Dependent Computation via Decomposition", ASPLOS '23; NeMo and
      // Transformer Engine userbuffers; TorchTitan's AsyncTP); else all are exposed.
      let overlap = job.overlapTensorParallel ? efficiency.tpOverlap : 0
      let tpForward = Overlapped(seconds: n * tp, behind: overlap * n * forward.gemm)
      let tpBackward = Overlapped(
        seconds: n * tp * (1 + again.tensorParallelShare), behind: overlap * n * backward.gemm)
      result.tensorParallel = result.tensorParallel + tpForward + tpBackward
      // Ring context parallelism: each of the cp−1 key/value passes hides behind the attention
      // of one ring step, a cp-th of the core (the last step has no pass to hide); what a step's
      // compute cannot cover is exposed, step by step.
      let cpForward = ringExposure(n * cp, core: n * forward.attention)
      let cpBackward = ringExposure(
        n * cp * (2 + again.contextParallelShare), core: n * backward.attention)
      result.contextParallel = result.contextParallel + cpForward + cpBackward
      var epForward = Overlapped(exposedSeconds: 0)
      var epBackward = Overlapped(exposedSeconds: 0)
      if kind.moe {
        // DualPipe overlaps each chunk's all-to-all with the computation of the chunk running
        // in the other direction (DeepSeek-V3 technical report §3.2.1, Figure 4).
        let window = layout.schedule == .dualPipe
        let epBackwardSeconds = n * ep * (1 + again.expertParallelShare)
        epForward = Overlapped(seconds: n * ep, behind: window ? n * forward.compute : 0)
        epBackward = Overlapped(
          seconds: epBackwardSeconds, behind: window ? n * backward.compute : 0)
      }
      result.expertParallel = result.expertParallel + epForward + epBackward
      result.forwardExposed +=
        tpForward.exposedSeconds + cpForward.exposedSeconds + epForward.exposedSeconds
      result.backwardExposed +=
        tpBackward.exposedSeconds + cpBackward.exposedSeconds + epBackward.exposedSeconds
    }
    if withLogits {
      let logits = logitsForward(microbatch: microbatch)
      result.forwardCompute += logits
      result.backwardCompute += 2 * logits
      result.weightGradient += logits
    }
    let sends = Double(chunksPerDevice) * pipelineSend(microbatch: microbatch)
    result.pipeline = 2 * sends
    result.forwardExposed += sends
    result.backwardExposed += sends
    return result
  }

  /// `seconds` of cp−1 equal ring passes, each behind one of cp equal steps of `core` seconds.
  func ringExposure(_ seconds: Double, core: Double) -> Overlapped {
    let steps = Double(layout.context)
    guard steps > 1 else { return Overlapped(seconds: seconds, behind: core) }
    let hidden = min(seconds, (steps - 1) * core / steps)
    return Overlapped(exposedSeconds: seconds - hidden, hiddenSeconds: hidden)
  }

  /// The slowest device's microbatch: a full device of layers, or the last device with its
  /// logits and, when the split is uneven, the layers it gives up.
  func slowestMicrobatch(microbatch: Int) -> MicrobatchSeconds {
    let layers = layersPerDevice
    let chunks = layout.pipeline * chunksPerDevice
    let deficit = layers / chunksPerDevice * chunks - model.layers
    let lastLayers = max(0, layers - (deficit - deficit / 2))
    let moeShare = { (count: Int) in min(count, model.moeLayers) }
    let full = microbatchSeconds(
      microbatch: microbatch, layers: layers, moeLayers: moeShare(layers),
      withLogits: layout.pipeline == 1)
    guard layout.pipeline > 1 else { return full }
    let last = microbatchSeconds(
      microbatch: microbatch, layers: lastLayers, moeLayers: moeShare(lastLayers),
      withLogits: true)
    return last.forward + last.backward > full.forward + full.backward ? last : full
  }

  /// The estimate at one microbatch size.
  public func estimate(microbatch: Int) -> StepEstimate {
    let m = job.globalBatch / (layout.data * microbatch)
    let p = Double(layout.pipeline)
    let one = slowestMicrobatch(microbatch: microbatch)
    let mb = Double(m)
    var breakdown = StepBreakdown()
    breakdown.computeSeconds = mb * (one.forwardCompute + one.backwardCompute)
    breakdown.tensorParallel = one.tensorParallel * mb
    breakdown.contextParallel = one.contextParallel * mb
    breakdown.expertParallel = one.expertParallel * mb
    breakdown.pipelineSeconds = mb * one.pipeline
    breakdown.bubbleSeconds = bubbleSeconds(one, pipeline: p)
    breakdown.dataParallel = dataParallel(one, microbatches: mb)
    breakdown.optimizerSeconds = optimizerSeconds()
    return StepEstimate(
      microbatch: microbatch, microbatches: m, breakdown: breakdown,
      memory: memory(microbatch: microbatch, microbatches: m),
      modelFLOPsPerStep: job.modelFLOPsPerToken * job.tokensPerStep, gpus: layout.gpus,
      peakFLOPS: chip.peakFLOPS(job.precision) ?? 1, tokensPerStep: job.tokensPerStep)
  }

  /// The idle time of the slowest device while the pipeline fills and drains, with F and B one
  /// microbatch's forward and backward on a device and W its weight-gradient part:
  /// 1F1B (p−1)(F+B) (Narayanan et al., SC '21 §2.2.1); interleaved (p−1)(F+B)/v (§2.2.2);
  /// ZB-H1 (p−1)(F+B−2W) with B the input-and-weight backward (Qi et al., ICLR 2024, §3.1);
  /// DualPipe (p/2−1)(F&B + B − 3W) per chunk (DeepSeek-V3 report §3.2.1, Table 2), with a
  /// chunk half of a device's forward and backward.
  func bubbleSeconds(_ one: MicrobatchSeconds, pipeline p: Double) -> Double {
    guard p > 1 else { return 0 }
    let f = one.forward
    let b = one.backward
    let w = one.weightGradient
    switch layout.schedule {
    case .oneFOneB:
      return (p - 1) * (f + b)
    case .interleaved:
      return (p - 1) * (f + b) / Double(layout.virtualStages)
    case .zeroBubble:
      return (p - 1) * max(0, f + b - 2 * w)
    case .dualPipe:
      let chunkFB = (f + b) / 2
      let chunkB = (b - w) / 2
      return (p / 2 - 1) * max(0, chunkFB + chunkB - 3 * w / 2)
    }
  }

  /// Data-parallel ranks the dense weights are replicated over (dp·cp), and those of the routed
  /// experts (tp·cp·dp/(etp·ep), dp·cp/ep when etp = tp).
  var replicaRanks: (dense: Int, expert: Int) {
    (layout.data * layout.context, layout.expertData)
  }

  /// Weights on one GPU (one copy): dense weights split by tp and pp, experts by etp, pp and ep.
  var localParams: (dense: Double, expert: Double) {
    let params = expertAndDenseParams
    let expertSplit = Double(layout.expertTensorSize * layout.pipeline)
    return (
      params.dense / Double(layout.tensor * layout.pipeline),
      params.expert / expertSplit / Double(layout.expert)
    )
  }

  /// Gradients reduced and weights gathered across the data-parallel ranks over a hierarchical
  /// ring, the gradients in the framework's wire precision (`GradientSync`) and the weights in
  /// bf16; ZeRO-0 all-reduces the gradients, ZeRO-1 reduce-scatters them and all-gathers the
  /// weights once per step, the gradients accumulated over the microbatches in full
  /// (Rajbhandari et al., SC '20 §7; Megatron-LM's distributed optimizer); ZeRO-2 keeps only its
  /// shard of the gradients, so it reduce-scatters every microbatch's gradients as they are made
  /// and all-gathers the weights once (DeepSpeed's stage 2 with gradient accumulation); ZeRO-3
  /// also gathers the weights for every microbatch's forward and backward. Overlapped, the
  /// reduction hides behind the last microbatch's backward and the gather behind the first
  /// forward (bucketed overlap, Li et al., "PyTorch Distributed", VLDB 2020 §3.2.3); otherwise
  /// both are exposed. ZeRO-3's per-pass gathers are prefetched one layer ahead
  /// (`prefetched(_:edge:window:)`), so they hide only behind the layer before them.
  func dataParallel(_ one: MicrobatchSeconds, microbatches: Double) -> Overlapped {
    let ranks = replicaRanks
    let params = localParams
    let sync = job.gradientSync
    func collective(bytesPerParam: Double) -> Double {
      func ring(_ params: Double, ranks: Int, stride: Int) -> Double {
        guard ranks > 1, params > 0 else { return 0 }
        let perNode = stride >= nvlinkGPUs ? 1 : min(ranks, nvlinkGPUs / stride)
        return Collectives.hierarchicalReduceScatterSeconds(
          bytes: bytesPerParam * params, perNode: perNode, nodes: max(1, ranks / perNode),
          intra: nvlink, inter: network)
      }
      return ring(params.dense, ranks: ranks.dense, stride: layout.tensor)
        + ring(params.expert, ranks: ranks.expert, stride: layout.expertTensorSize * layout.expert)
    }
    let reduce = collective(bytesPerParam: Double(sync.precision.bytes))
    let gather = collective(bytesPerParam: 2)
    let forwardWindow = sync.overlapped ? one.forwardCompute : 0
    let backwardWindow = sync.overlapped ? one.backwardCompute : 0
    if layout.zero == 3 {
      let layers = Double(layersPerDevice)
      let gatherForward = prefetched(gather, edge: gather / layers, window: forwardWindow)
      let gatherAndReduce = prefetched(
        gather + reduce, edge: (gather + reduce) / layers, window: backwardWindow)
      return (gatherForward + gatherAndReduce) * microbatches
    }
    if layout.zero == 2 {
      let reduced = Overlapped(seconds: reduce, behind: backwardWindow) * microbatches
      return reduced + Overlapped(seconds: gather, behind: forwardWindow)
    }
    // ZeRO-0's all-reduce is a reduce-scatter and an all-gather of the gradients.
    let second = layout.zero == 0 ? reduce : gather
    return Overlapped(seconds: reduce, behind: backwardWindow)
      + Overlapped(seconds: second, behind: forwardWindow)
  }

  /// ZeRO-3/FSDP's per-layer exchange of one pass, `seconds` in all over the device's L layers,
  /// prefetched one layer ahead: layer i's gather (and, backward, layer i+1's reduce-scatter)
  /// runs during layer i−1's compute, one L-th of `window`, so each of L−1 layers hides
  /// min(c/L, w/L) and exposes the rest, and `edge` (the pass's first gather, and backward its
  /// last reduce-scatter) has no compute to hide behind (Zhao et al., "PyTorch FSDP", VLDB 2023
  /// §3.3.1-3.3.2: backward prefetch issues the next gather before the current layer's
  /// reduce-scatter; forward gathers run ahead of the CPU's issue order, at most two in flight).
  func prefetched(_ seconds: Double, edge: Double, window: Double) -> Overlapped {
    let layers = Double(layersPerDevice)
    guard layers > 1 else { return Overlapped(exposedSeconds: seconds) }
    let perLayer = (seconds - edge) / (layers - 1)
    let hidden = (layers - 1) * min(perLayer, max(0, window) / layers)
    return Overlapped(exposedSeconds: seconds - hidden, hiddenSeconds: hidden)
  }

  /// Mixed-precision Adam over the GPU's shard of the optimizer states, bound by HBM: it reads
  /// the fp32 master weight, gradient and two moments and writes back the master, the moments and
  /// the bf16 weight, 30 bytes per parameter (Micikevicius et al., "Mixed Precision Training",
  /// ICLR 2018; Kingma and Ba, "Adam", 2015).
  func optimizerSeconds() -> Double {
    let params = localParams
    let ranks = replicaRanks
    let sharded =
      layout.zero >= 1
      ? params.dense / Double(ranks.dense) + params.expert / Double(ranks.expert)
      : params.dense + params.expert
    return 30 * sharded * Double(weightCopies) / hbmBytesPerSecond
  }

  /// Copies of its weights each device keeps: two for DualPipe (one per direction, DeepSeek-V3
  /// report Table 2), else one.
  var weightCopies: Int { layout.schedule == .dualPipe ? 2 : 1 }

  /// Microbatches whose activations a device holds at once: p for 1F1B and ZB-H1 (the first
  /// stage), p(1 + (p−1)/(pv)) for interleaving (Narayanan et al., SC '21 §2.2.2), p+1 for
  /// DualPipe (DeepSeek-V3 report Table 2); never more than the step's microbatches.
  func inFlight(microbatches m: Int) -> Double {
    let p = Double(layout.pipeline)
    let v = Double(layout.virtualStages)
    let count: Double =
      switch layout.schedule {
      case .oneFOneB, .zeroBubble: p
      case .interleaved: p * (1 + (p - 1) / (p * v))
      case .dualPipe: p + 1
      }
    return min(count, Double(m))
  }

  /// Bytes per GPU: bf16 weights (2 per parameter), gradients in the precision they are
  /// accumulated and reduced in (`grad_reduce`: 4 for fp32, 2 for bf16 and fp16; Megatron-Core's
  /// main-gradient buffer is fp32 when `grad_reduce_in_fp32`, else the parameters' dtype) and
  /// Adam states (fp32 master and two moments, 12), each sharded by the ZeRO stage (Rajbhandari et
  /// al., SC '20, §3 and Figure 1), times the weight copies of the schedule; activations of the
  /// device's layers times the microbatches in flight, plus, with full recomputation (of all
  /// layers or of the first n of each chunk), one layer's full activations while it is
  /// recomputed, and the fp32 logits of one microbatch on the last stage.
  /// One layer's activations for one microbatch on one GPU of this layout, in bytes
  /// (`ActivationMemory.bytesPerLayer`), with `recompute` and, with `fp8Inputs`, the projections'
  /// inputs cached in FP8.
  func activationBytesPerLayer(microbatch: Int, moe: Bool, recompute: Recompute, fp8Inputs: Bool)
    -> Double
  {
    ActivationMemory.bytesPerLayer(
      model: model, moeLayer: moe, seqLen: job.seqLen, microbatch: microbatch,
      tensorParallel: layout.tensor, contextParallel: layout.context,
      sequenceParallel: layout.sequenceParallel, recompute: recompute,
      attentionKernel: job.attentionKernel, dropout: model.dropout, fp8Inputs: fp8Inputs)
  }

  func memory(microbatch: Int, microbatches: Int) -> MemoryEstimate {
    let params = localParams
    let ranks = replicaRanks
    let copies = Double(weightCopies)
    func sharded(_ bytes: Double, from stage: Int) -> Double {
      guard layout.zero >= stage else { return bytes * (params.dense + params.expert) * copies }
      return bytes * copies
        * (params.dense / Double(ranks.dense) + params.expert / Double(ranks.expert))
    }
    let layers = Double(layersPerDevice)
    let moe = model.kind == .moe && model.moeLayers > 0
    func perLayer(_ recompute: Recompute) -> Double {
      activationBytesPerLayer(
        microbatch: microbatch, moe: moe, recompute: recompute,
        fp8Inputs: job.precision.isEightBitOrNarrower)
    }
    // One microbatch's activations on the device; under `full_layers`, the first n layers of
    // each chunk keep their input only, the others everything.
    let perMicrobatch: Double
    var recomputesWhole = layout.recompute == .full
    if case .fullLayers(let n) = layout.recompute {
      let whole = Double(min(n, layersPerDevice / chunksPerDevice) * chunksPerDevice)
      perMicrobatch = perLayer(.full) * whole + perLayer(.none) * (layers - whole)
      recomputesWhole = whole > 0
    } else if job.activationOffloadLayers > 0 {
      // Offloaded layers' activations wait in host memory; one is on the GPU while it is copied.
      let offloaded = Double(min(job.activationOffloadLayers, layersPerDevice))
      perMicrobatch = perLayer(layout.recompute) * (layers - offloaded + 1)
    } else {
      perMicrobatch = perLayer(layout.recompute) * layers
    }
    var activations = perMicrobatch * inFlight(microbatches: microbatches)
    if recomputesWhole { activations += perLayer(.none) }
    let logits = 4 * tokens(microbatch) * Double(model.vocab) / Double(layout.tensor)
    if layout.pipeline == 1 {
      activations += logits
    } else {
      activations = max(activations, perMicrobatch + logits)
    }
    return MemoryEstimate(
      weightsBytes: sharded(2, from: 3),
      gradientsBytes: sharded(Double(job.gradientSync.precision.bytes), from: 2),
      optimizerBytes: sharded(12, from: 1), activationsBytes: activations)
  }
}
