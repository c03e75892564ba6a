import Foundation

/// The layouts a training phase can take on a pool at a GPU count, and the fastest of them that
/// fits in memory (`docs/model.md`, "Planning").
///
/// Every key the spec leaves nil is searched: tp over the divisors of the heads and key/value
/// heads (inside the GPUs NVLink joins, a node or an NVL72 rack, unless `tensorAcrossNodes`), pp
/// over the divisors of what tp leaves, cp over those of what remains that divide the sequence, dp
/// the rest (dividing the global batch),
/// ep over the divisors of dp·cp and the routed experts, the schedule (1F1B, interleaved with every
/// virtual-stage count the layers allow, ZB-H1, DualPipe for even pp), uneven stages only where the
/// layers do not split evenly, ZeRO 1-3 (0 never wins), recomputation none/selective/full,
/// sequence parallelism when tp > 1, and every microbatch that divides a replica's batch and
/// fills the schedule. Each candidate is priced by
/// the step-time model; the fastest that fits wins, ties going to less memory.
public struct LayoutSearch: Sendable {
  public let spec: TrainingSpec
  public let precision: Precision
  public let chip: Chip
  public let gpusPerNode: Int
  public let gpus: Int

  /// Why a candidate layout was not kept.
  public enum Rejection: String, Sendable, Hashable, CaseIterable {
    case heads = "tp does not divide the attention heads"
    case batch = "dp does not divide the global batch"
    case layers = "too few layers for the pipeline chunks"
    case sequence = "cp does not divide the sequence"
    case experts = "ep does not divide dp·cp and the experts"
    case microbatch = "no microbatch suits the batch and the schedule"
    case schedule = "the schedule needs another pp (interleaved pp > 1, dualpipe an even pp)"
    case gpus = "tp·pp·cp does not divide the GPUs"
    case memory = "does not fit in memory"
    case offload = "activation offloading needs pp 1 and no recomputation"
  }

  /// A layout that fits, with its step.
  public struct Candidate: Sendable, Hashable {
    public var job: TrainingJob
    public var estimate: StepEstimate
    /// The layout's features no calibration case measured (`CalibratedRegion.outside`).
    public var outside: [String] = []
    public var layout: ParallelLayout { job.layout }
  }

  /// What the search found.
  public struct Result: Sendable {
    /// The best layouts that fit, fastest first.
    public var ranked: [Candidate]
    /// Candidates rejected, by reason (a candidate is a layout before its microbatch is chosen).
    public var rejected: [Rejection: Int]
    /// Candidates priced or rejected in all.
    public var searched: Int
    /// Of the rejected-for-memory candidates, the one that came closest, with its bytes per GPU.
    public var closestMiss: (layout: ParallelLayout, bytes: Double)?
  }

  public init(spec: TrainingSpec, precision: Precision, chip: Chip, gpusPerNode: Int, gpus: Int) {
    self.spec = spec
    self.precision = precision
    self.chip = chip
    self.gpusPerNode = gpusPerNode
    self.gpus = gpus
  }

  /// Searches every candidate and keeps the `keep` fastest that fit, one per layout (each with
  /// its best recomputation and microbatch).
  ///
  /// For one layout and microbatch, more recomputation never makes the step faster and never
  /// takes more memory, so only the least recomputation that fits is priced.
  public func run(keep: Int) -> Result {
    var result = Result(ranked: [], rejected: [:], searched: 0)
    guard chip.peakFLOPS(precision) != nil else { return result }
    // What a layout may take: HBM less the framework's headroom (`memory_headroom_gb`).
    let hbm = StepTimeModel.usableHBMBytes(chip, headroomGB: spec.layout.memoryHeadroomGB)
    // Offloading activations rules recomputation out (Megatron-Core refuses the two together), so
    // with it a searched recomputation is only `none`.
    let recomputes =
      spec.layout.recompute.map { [$0] }
      ?? (spec.layout.activationOffloadLayers > 0 ? [.none] : Recompute.allCases)
    var tally = Tally()
    forEachCandidate(&tally) { layout, tally in
      func model(_ recompute: Recompute) -> StepTimeModel {
        var variant = layout
        variant.recompute = recompute
        return StepTimeModel(
          job: spec.job(layout: variant, precision: precision), chip: chip,
          gpusPerNode: gpusPerNode)
      }
      // The step-time model's own checks (recomputation does not change them).
      let first = model(recomputes[0])
      if let problem = first.problem() {
        tally.reject(Self.rejection(for: problem))
        return
      }
      tally.searched += 1
      let models = [first] + recomputes.dropFirst().map(model)
      let perReplica = spec.globalBatch / layout.data
      let microbatches = layout.microbatch.map { [$0] } ?? StepTimeModel.divisors(of: perReplica)
      var best: (model: StepTimeModel, estimate: StepEstimate)?
      var smallest = Double.infinity
      // Activations grow with the microbatch: once the least-memory variant misses at one size,
      // every larger size misses too.
      microbatchLoop: for microbatch in microbatches
      where perReplica % microbatch == 0
        && models[0].scheduleNeed(microbatches: perReplica / microbatch) == nil
      {
        for (variant, model) in models.enumerated() {
          let memory = model.memory(microbatch: microbatch, microbatches: perReplica / microbatch)
          smallest = min(smallest, memory.totalBytes)
          guard memory.totalBytes <= hbm else {
            if variant == models.count - 1 { break microbatchLoop }
            continue
          }
          let estimate = model.estimate(microbatch: microbatch)
          if best == nil || Self.better(estimate, than: best?.estimate) {
            best = (model, estimate)
          }
          break
        }
      }
      guard let best else {
        let reason: Rejection = smallest.isFinite ? .memory : .microbatch
        tally.rejected[reason, default: 0] += 1
        if reason == .memory, smallest < result.closestMiss?.bytes ?? .infinity {
          result.closestMiss = (layout, smallest)
        }
        return
      }
      Self.insert(
        Candidate(
          job: best.model.job, estimate: best.estimate,
          outside: CalibratedRegion.builtIn.outside(best.model.job.layout)),
        into: &result.ranked, keep: keep, preferCalibrated: !spec.layout.extrapolate)
    }
    result.rejected = tally.rejected
    result.searched = tally.searched
    return result
  }

  /// Faster, or as fast with less memory.
  static func better(_ a: StepEstimate, than b: StepEstimate?) -> Bool {
    guard let b else { return true }
    if a.stepSeconds != b.stepSeconds { return a.stepSeconds < b.stepSeconds }
    return a.memory.totalBytes < b.memory.totalBytes
  }

  /// Ranks before `b`: inside the calibrated region when `b` is not (unless the search may
  /// extrapolate), else faster, or as fast with less memory.
  static func ranks(_ a: Candidate, before b: Candidate, preferCalibrated: Bool) -> Bool {
    if preferCalibrated, a.outside.isEmpty != b.outside.isEmpty { return a.outside.isEmpty }
    return better(a.estimate, than: b.estimate)
  }

  static func insert(
    _ candidate: Candidate, into ranked: inout [Candidate], keep: Int, preferCalibrated: Bool
  ) {
    guard keep > 0 else { return }
    if ranked.count == keep,
      let last = ranked.last, !ranks(candidate, before: last, preferCalibrated: preferCalibrated)
    {
      return
    }
    let at = ranked.partitioningIndex {
      ranks(candidate, before: $0, preferCalibrated: preferCalibrated)
    }
    ranked.insert(candidate, at: at)
    if ranked.count > keep { ranked.removeLast() }
  }

  /// The search's name for a layout problem of the step-time model.
  static func rejection(for problem: LayoutProblem) -> Rejection {
    switch problem {
    case .batchSplit: .batch
    case .tensorHeads: .heads
    case .virtualStagesWithoutInterleaving, .interleavedWithoutPipeline, .dualPipeOddStages:
      .schedule
    case .tooFewLayers, .unevenLayers: .layers
    case .contextSequence: .sequence
    case .expertsNeedMoE, .expertsSplit, .expertTensorNeedsMoE, .expertTensorSplit: .experts
    case .activationOffload: .offload
    }
  }
}

extension LayoutSearch.Result {
  /// The rejections, most common first: "812 does not fit in memory, 40 tp does not divide ...".
  public var rejectionSummary: String {
    rejected.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
      .map { "\(TextTable.grouped(Double($0.value), decimals: 0)) \($0.key.rawValue)" }.joined(separator: ", ")
  }

  /// Why no layout of `gpus` GPUs works on `chip`, and what would help: searching the keys
  /// `fixed` holds (only when some are), more GPUs or more memory when memory is what failed.
  func noLayoutMessage(gpus: Int, chip: Chip, fixed: [String], headroomGB: Double = 0) -> String {
    var text =
      "no layout of \(TextTable.grouped(Double(gpus), decimals: 0)) GPUs works: \(TextTable.grouped(Double(searched), decimals: 0)) searched (\(rejectionSummary.isEmpty ? "none possible" : rejectionSummary))"
    if let miss = closestMiss {
      let search =
        fixed.isEmpty
        ? "" : "search more keys (\(fixed.map { "\($0): auto" }.joined(separator: ", "))), "
      text +=
        "; the smallest needs \(String(format: "%.1f", miss.bytes / 1e9)) GB per GPU (\(LayoutText.short(miss.layout))) and \(StepTimeModel.capacity(chip, headroomGB: headroomGB)); \(search)give the phase more GPUs, or use a chip with more memory"
    }
    return text
  }
}
