/// The order in which pipeline stages run forward and backward passes of microbatches.
public enum PipelineSchedule: String, Sendable, Hashable, CaseIterable {
  /// One forward, one backward (PipeDream-Flush; Narayanan et al., SC '21 §2.2.1).
  case oneFOneB = "1f1b"
  /// 1F1B over `virtual_stages` model chunks per device (Narayanan et al., SC '21 §2.2.2).
  case interleaved
  /// ZB-H1: backward split into input and weight gradients, the weight gradients filling the
  /// bubble (Qi et al., "Zero Bubble Pipeline Parallelism", ICLR 2024, §3).
  case zeroBubble = "zero-bubble"
  /// Two directions through a V-shaped placement, forward and backward chunks overlapped with
  /// their communication (DeepSeek-V3 technical report, arXiv 2412.19437, §3.2.1).
  case dualPipe = "dualpipe"
}

/// How a phase's GPUs split the model and the batch.
///
/// Ranks are laid out tensor-parallel innermost, then context-parallel, then data-parallel, then
/// pipeline-parallel outermost (Megatron-LM's default order), so tensor-parallel groups stay
/// inside a node. Expert parallelism is carved out of the data-parallel ranks.
public struct ParallelLayout: Sendable, Hashable {
  public var tensor: Int
  public var pipeline: Int
  public var context: Int
  public var data: Int
  public var expert: Int
  /// Expert tensor parallelism (`etp`): the ranks each routed expert's matrices are split over.
  /// Nil follows tp with experts carved out of the data-parallel ranks outside cp (the layout
  /// this model has always used); given, the experts take Megatron-Core's own expert layout
  /// (`parallelism.etp`, see `expertTensorSize`).
  public var expertTensor: Int?
  /// Model chunks per device for the interleaved schedule (1 otherwise).
  public var virtualStages: Int
  /// Sequences per microbatch; nil picks the fastest that fits in memory.
  public var microbatch: Int?
  /// ZeRO stage: 0 replicates everything; 1 shards optimizer states, 2 also gradients, 3 also
  /// weights across the data-parallel ranks (Rajbhandari et al., "ZeRO", SC '20, §5).
  public var zero: Int
  public var recompute: Recompute
  public var schedule: PipelineSchedule
  /// Megatron sequence parallelism: layer norms and dropouts split over the tensor-parallel ranks,
  /// all-reduces become reduce-scatter + all-gather (Korthikanti et al. §4.2.2).
  public var sequenceParallel: Bool
  /// Whether the layers may split unevenly over the pipeline stages (the heaviest stage then sets
  /// the pace), as DeepSeek-V3 and Llama 3 do.
  public var unevenPipeline: Bool

  public init(
    tensor: Int = 1, pipeline: Int = 1, context: Int = 1, data: Int, expert: Int = 1,
    virtualStages: Int = 1, microbatch: Int? = nil, zero: Int = 1, recompute: Recompute = .none,
    schedule: PipelineSchedule = .oneFOneB, sequenceParallel: Bool = false,
    unevenPipeline: Bool = false, expertTensor: Int? = nil
  ) {
    self.tensor = tensor
    self.pipeline = pipeline
    self.context = context
    self.data = data
    self.expert = expert
    self.virtualStages = virtualStages
    self.microbatch = microbatch
    self.zero = zero
    self.recompute = recompute
    self.schedule = schedule
    self.sequenceParallel = sequenceParallel
    self.unevenPipeline = unevenPipeline
    self.expertTensor = expertTensor
  }

  /// GPUs the layout occupies: tp · pp · cp · dp.
  public var gpus: Int { tensor * pipeline * context * data }

  /// The ranks each routed expert is split over: `etp`, or tp when it is not given (Megatron-Core's
  /// `expert_tensor_parallel_size` defaults to `tensor_model_parallel_size`,
  /// `megatron/core/parallel_state.py`, `initialize_model_parallel`).
  public var expertTensorSize: Int { expertTensor ?? tensor }

  /// Expert data-parallel ranks, which hold the same experts: tp·cp·dp / (etp·ep), since the
  /// experts re-divide a pipeline stage's tp·cp·dp GPUs as etp·ep·edp (Megatron-Core's
  /// `expert_data_parallel_size = decoder_world_size / (etp·ep·pp)`, same function). With etp = tp
  /// this is dp·cp/ep.
  public var expertData: Int { tensor * context * data / (expertTensorSize * expert) }
}

/// How the attention core (QKᵀ, softmax, product with V) is computed.
public enum AttentionKernel: String, Sendable, Hashable, CaseIterable {
  /// Fused and tiled (Dao et al., "FlashAttention", 2022): the masked half of a causal score
  /// matrix is skipped, the s×s scores are never stored, and the backward recomputes them.
  case flash
  /// Separate kernels materialising the s×s scores and softmax (Megatron-LM before 2022): the
  /// full matrix is computed and stored, and the softmax streams it through memory.
  case unfused
}

/// A training phase described from first principles: the model, its data and its layout.
public struct TrainingJob: Sendable, Hashable {
  public var model: TransformerModel
  /// Training FLOPs per token to use instead of the count derived from the shape (e.g. for
  /// attention variants such as MLA); the derived per-operation split is scaled to match it.
  public var flopsPerTokenOverride: Double?
  public var seqLen: Int
  /// Sequences per optimizer step.
  public var globalBatch: Int
  /// Optimizer steps the phase runs.
  public var steps: Double
  public var layout: ParallelLayout
  /// The precision of the matrix multiplies (the attention core runs in bf16).
  public var precision: Precision
  public var attentionKernel: AttentionKernel
  /// How the data-parallel ranks exchange gradients and weights.
  public var gradientSync: GradientSync
  /// Whether the tensor-parallel collectives run overlapped with the layer's matrix multiplies
  /// (`overlap_tp_comm`: NeMo/Transformer Engine userbuffers, TorchTitan's AsyncTP).
  public var overlapTensorParallel: Bool
  /// GB per GPU the memory check keeps free for what the model does not count: the framework's
  /// workspaces (cuBLAS, NCCL) and the caching allocator's fragmentation
  /// (`parallelism.memory_headroom_gb`, default 0; `docs/model.md`, "Memory per GPU").
  public var memoryHeadroomGB: Double
  /// Layers, the first of the model, whose stored activations wait in host memory between their
  /// forward and backward (`parallelism.activation_offload_layers`; Megatron-Core's
  /// `cpu_offloading_num_layers` with `cpu_offloading_weights` off; 0, the default, offloads none).
  public var activationOffloadLayers: Int

  public init(
    model: TransformerModel, flopsPerTokenOverride: Double? = nil, seqLen: Int, globalBatch: Int,
    steps: Double, layout: ParallelLayout, precision: Precision = .bf16,
    attentionKernel: AttentionKernel = .flash, gradientSync: GradientSync = GradientSync(),
    overlapTensorParallel: Bool = false, memoryHeadroomGB: Double = 0,
    activationOffloadLayers: Int = 0
  ) {
    self.model = model
    self.flopsPerTokenOverride = flopsPerTokenOverride
    self.seqLen = seqLen
    self.globalBatch = globalBatch
    self.steps = steps
    self.layout = layout
    self.precision = precision
    self.attentionKernel = attentionKernel
    self.gradientSync = gradientSync
    self.overlapTensorParallel = overlapTensorParallel
    self.memoryHeadroomGB = memoryHeadroomGB
    self.activationOffloadLayers = activationOffloadLayers
  }

  /// Tokens per optimizer step.
  public var tokensPerStep: Double { Double(globalBatch) * Double(seqLen) }

  /// Model FLOPs per token: the override, or the derived count without recomputation (causal
  /// attention halved for the flash kernel, which skips the masked half).
  public var modelFLOPsPerToken: Double {
    flopsPerTokenOverride
      ?? model.trainingFLOPsPerToken(seqLen: seqLen, causal: attentionKernel == .flash)
  }
}
