/// How a model is served for generation: one engine (a model replica) spans `engineGPUs`; the
/// attention runs tensor-parallel over `tensor` GPUs and data-parallel over the engine's
/// `engineGPUs / tensor` attention ranks, the routed experts expert-parallel over all of them
/// (DeepSeek's deployment, V3 report §3.4 and the Day-6 inference overview).
public struct InferenceLayout: Sendable, Hashable {
  /// GPUs of one attention rank (tensor-parallel attention and dense layers).
  public var tensor: Int
  /// GPUs the routed experts are spread over; the engine's size for MoE models (1 for dense).
  public var expert: Int
  /// Whether two micro-batches interleave so the expert all-to-all hides behind the other's
  /// compute (DeepSeek's dual micro-batch overlap, ISCA '25 §2.3.1).
  public var overlap: Bool
  /// Speculative decoding with one multi-token-prediction draft per step: the fraction of drafts
  /// accepted (nil: no speculation). ISCA '25 §2.3.3: 80–90% for DeepSeek-V3.
  public var mtpAcceptance: Double?
  /// Fraction of HBM the engine may fill with weights and KV cache (vLLM's
  /// `gpu_memory_utilization`, default 0.9); the rest is activations and workspace.
  public var memoryFraction: Double

  public init(
    tensor: Int = 1, expert: Int = 1, overlap: Bool = false, mtpAcceptance: Double? = nil,
    memoryFraction: Double = 0.9
  ) {
    self.tensor = tensor
    self.expert = expert
    self.overlap = overlap
    self.mtpAcceptance = mtpAcceptance
    self.memoryFraction = memoryFraction
  }

  /// GPUs of one engine: the expert-parallel span, at least one attention rank.
  public var engineGPUs: Int { max(tensor, expert) }
  /// Routed experts each GPU holds per MoE layer: ⌈E / ep⌉ (where ep does not divide E, the
  /// spare slots hold redundant copies of hot experts, as DeepSeek's 288 on EP144).
  public func expertsPerGPU(_ model: TransformerModel) -> Int {
    (model.routedExperts + expert - 1) / expert
  }
  /// Attention ranks (data-parallel replicas of attention) in one engine.
  public var attentionRanks: Int { engineGPUs / tensor }
  /// Positions each sequence computes per decode step: the next token and, with speculation,
  /// the draft being verified.
  public var positionsPerStep: Double { mtpAcceptance == nil ? 1 : 2 }
  /// Tokens each sequence gains per decode step: 1 + the accepted fraction of drafts.
  public var tokensPerStep: Double { 1 + (mtpAcceptance ?? 0) }

  /// Why the layout cannot serve `model` on engines of this chip, or nil.
  public func problem(model: TransformerModel, gpusPerNode: Int) -> String? {
    if engineGPUs % tensor != 0 {
      return "tp \(tensor) does not divide the engine's \(engineGPUs) GPUs (ep)"
    }
    if tensor > gpusPerNode {
      return "tp \(tensor) spans more than a node's \(gpusPerNode) GPUs"
    }
    if model.heads % tensor != 0 {
      return "tp \(tensor) does not divide the model's \(model.heads) heads"
    }
    if model.kind == .dense, expert > 1 {
      return "ep \(expert) applies only to a mixture-of-experts model"
    }
    return nil
  }
}
