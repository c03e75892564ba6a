/// A layout as the config gives it: each key a value, or nil where it is `auto` and the planner
/// searches it (`docs/model.md`, "Planning").
///
/// The config reader fills the defaults of absent keys (tp, pp, cp, ep and virtual stages 1,
/// ZeRO 1, no recomputation, no sequence parallelism, the schedule from the virtual stages), so
/// nil always means "search"; `parallelism: auto` leaves every key nil. The microbatch is nil
/// unless given: the step-time model then picks the fastest that fits, as it always has.
public struct LayoutSpec: Sendable, Hashable {
  public var tensor: Int?
  public var pipeline: Int?
  public var context: Int?
  /// Data-parallel replicas; nil derives them from the GPUs (gpus / (tp·pp·cp)).
  public var data: Int?
  public var expert: Int?
  /// Expert tensor parallelism as given (`etp`); nil follows tp. Never searched.
  public var expertTensor: Int?
  public var virtualStages: Int?
  public var microbatch: Int?
  public var zero: Int?
  public var recompute: Recompute?
  public var schedule: PipelineSchedule?
  public var sequenceParallel: Bool?
  public var unevenPipeline: Bool?
  /// Whether a searched tp may span nodes (by default it stays inside one: NVLink).
  public var tensorAcrossNodes: Bool
  /// How the framework exchanges gradients across the data-parallel ranks (never searched: it is
  /// a property of the framework, not of the layout).
  public var gradientSync = GradientSync()
  /// Whether the search may rank layouts outside the calibrated region by their predicted speed
  /// alone (`parallelism.extrapolate: true`); by default a layout inside the region wins over any
  /// outside it (`CalibratedRegion`).
  public var extrapolate = false
  /// Whether tensor-parallel collectives overlap the matrix multiplies (`overlap_tp_comm`; a
  /// framework setting, never searched).
  public var overlapTensorParallel = false
  /// GB per GPU the memory check keeps free (`memory_headroom_gb`; a framework setting, never
  /// searched: every layout the search prices must fit under HBM minus it).
  public var memoryHeadroomGB = 0.0
  /// Layers whose activations wait in host memory (`activation_offload_layers`; a framework
  /// setting, never searched).
  public var activationOffloadLayers = 0

  public init(
    tensor: Int? = 1, pipeline: Int? = 1, context: Int? = 1, data: Int? = nil,
    expert: Int? = 1, virtualStages: Int? = 1, microbatch: Int? = nil, zero: Int? = 1,
    recompute: Recompute? = Recompute.none, schedule: PipelineSchedule? = .oneFOneB,
    sequenceParallel: Bool? = false, unevenPipeline: Bool? = false,
    tensorAcrossNodes: Bool = false
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
    self.tensorAcrossNodes = tensorAcrossNodes
  }

  /// What dp would fill `gpus` GPUs at tp·pp·cp = `model`, and whether it splits the batch.
  static func dpAdvice(gpus: Int, model: Int, globalBatch: Int?) -> String {
    guard gpus % model == 0 else { return "; give gpus a multiple of tp·pp·cp = \(model)" }
    let dp = gpus / model
    if let globalBatch, globalBatch % dp != 0 {
      return "; dp \(dp) would fill them but does not split global_batch \(globalBatch)"
    }
    return "; dp \(dp) would fit"
  }

  /// The config names of the searchable keys given a value instead of `auto`: what a search
  /// could still free (empty under `parallelism: auto`).
  public var fixedKeys: [String] {
    let keys: [(String, Bool)] = [
      ("tp", tensor != nil), ("pp", pipeline != nil), ("cp", context != nil),
      ("ep", expert != nil), ("virtual_stages", virtualStages != nil), ("zero", zero != nil),
      ("recompute", recompute != nil), ("schedule", schedule != nil),
      ("sequence_parallel", sequenceParallel != nil), ("uneven_pipeline", unevenPipeline != nil),
    ]
    return keys.filter(\.1).map(\.0)
  }

  /// Every searchable key freed, the framework's settings kept (tp across nodes, the gradient
  /// exchange): what `explain --layouts` searches, so that it prices each layout as the config's
  /// framework would run it, as `parallelism: auto` does.
  public var searchingEveryKey: LayoutSpec {
    var spec = LayoutSpec.auto
    spec.tensorAcrossNodes = tensorAcrossNodes
    spec.gradientSync = gradientSync
    spec.extrapolate = extrapolate
    spec.overlapTensorParallel = overlapTensorParallel
    spec.memoryHeadroomGB = memoryHeadroomGB
    spec.activationOffloadLayers = activationOffloadLayers
    return spec
  }

  /// `parallelism: auto`: every key searched.
  public static let auto = LayoutSpec(
    tensor: nil, pipeline: nil, context: nil, expert: nil, virtualStages: nil, zero: nil,
    recompute: nil, schedule: nil, sequenceParallel: nil, unevenPipeline: nil)

  /// A fixed layout as a spec (the microbatch kept as given).
  public init(_ layout: ParallelLayout) {
    self.init(
      tensor: layout.tensor, pipeline: layout.pipeline, context: layout.context,
      data: layout.data, expert: layout.expert, virtualStages: layout.virtualStages,
      microbatch: layout.microbatch, zero: layout.zero, recompute: layout.recompute,
      schedule: layout.schedule, sequenceParallel: layout.sequenceParallel,
      unevenPipeline: layout.unevenPipeline)
    expertTensor = layout.expertTensor
  }

  /// Whether every key but the microbatch is given, so the layout needs no search.
  public var isFixed: Bool {
    tensor != nil && pipeline != nil && context != nil && expert != nil && virtualStages != nil
      && zero != nil && recompute != nil && schedule != nil && sequenceParallel != nil
      && unevenPipeline != nil
  }

  /// The layout on `gpus` GPUs when every key is given: dp derived when absent. Nil when a key is
  /// searched; throws when tp·pp·cp(·dp) does not match the GPUs.
  public func fixed(gpus: Int, globalBatch: Int? = nil) throws(PlanError) -> ParallelLayout? {
    guard isFixed, let tp = tensor, let pp = pipeline, let cp = context, let ep = expert,
      let v = virtualStages, let zero, let recompute, let schedule, let sequenceParallel,
      let unevenPipeline
    else { return nil }
    let model = tp * pp * cp
    let dp = data ?? gpus / model
    if let data, model * data != gpus {
      throw PlanError(
        key: "parallelism.dp",
        "tp·pp·cp·dp = \(tp)·\(pp)·\(cp)·\(data) = \(model * data) but the phase has \(gpus) "
          + "GPUs"
          + Self.dpAdvice(gpus: gpus, model: model, globalBatch: globalBatch))
    }
    if data == nil, gpus % model != 0 || dp == 0 {
      throw PlanError(
        key: "parallelism",
        "tp·pp·cp = \(tp)·\(pp)·\(cp) = \(model) does not divide the phase's \(gpus) GPUs",
        kind: .gpusDoNotDivide)
    }
    return ParallelLayout(
      tensor: tp, pipeline: pp, context: cp, data: dp, expert: ep, virtualStages: v,
      microbatch: microbatch, zero: zero, recompute: recompute, schedule: schedule,
      sequenceParallel: sequenceParallel, unevenPipeline: unevenPipeline,
      expertTensor: expertTensor)
  }
}
