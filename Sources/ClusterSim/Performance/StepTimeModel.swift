import Foundation

/// The time of one training step from first principles: FLOPs over an efficiency-scaled peak,
/// memory-bound kernels over HBM bandwidth, collectives over NVLink and the network under the α-β
/// model, pipeline bubbles by schedule, and the optimizer. Every term and its source is in
/// `docs/model.md` ("Step time").
public struct StepTimeModel: Sendable {
  public let job: TrainingJob
  public let chip: Chip
  public let gpusPerNode: Int
  /// GPUs that reach each other over NVLink: the node, or the chip's multi-node NVLink domain
  /// (`Chip.nvlinkGPUs(gpusPerNode:)`); where the model chooses NVLink or the network.
  public let nvlinkGPUs: Int
  /// Factors that bring the derived FLOPs to `flops_per_token` (see `Self.flopScales(for:)`),
  /// computed once: every matrix multiply uses them.
  let flopScales: (gemm: Double, attention: Double)
  /// Peak FLOP/s and large-GEMM efficiency of the job's precision and of bf16 (the attention
  /// core), looked up once: every matrix multiply uses them.
  let rates: (job: (peak: Double, gemm: Double), bf16: (peak: Double, gemm: Double))
  /// The chip's constants the inner loops read, copied out of its catalog entry once.
  let hbmBytesPerSecond: Double
  let gemmHalfFLOPs: Double
  let expertGEMM: Double
  let expertGEMMHalfFLOPs: Double
  let nvlink: Link
  let network: Link

  public init(job: TrainingJob, chip: Chip, gpusPerNode: Int = 8) {
    self.job = job
    self.chip = chip
    self.gpusPerNode = gpusPerNode
    nvlinkGPUs = chip.nvlinkGPUs(gpusPerNode: gpusPerNode)
    flopScales = Self.flopScales(for: job)
    rates = (
      Self.peakAndEfficiency(job.precision, chip: chip, job: job),
      Self.peakAndEfficiency(.bf16, chip: chip, job: job)
    )
    hbmBytesPerSecond = chip.hbmTBPerS * 1e12 * chip.efficiency.hbm
    gemmHalfFLOPs = chip.efficiency.gemmHalfFLOPs
    expertGEMM = chip.efficiency.expertGEMM
    expertGEMMHalfFLOPs = chip.efficiency.expertGEMMHalfFLOPs
    nvlink = .nvlink(chip)
    network = .network(chip)
  }

  /// Checks the layout, then estimates the step at the given microbatch, or at the fastest one
  /// that fits in memory.
  public func estimate() throws(LayoutError) -> StepEstimate {
    try validate()
    let perReplica = job.globalBatch / job.layout.data
    if let microbatch = job.layout.microbatch {
      guard perReplica % microbatch == 0 else {
        let fits = Self.divisors(of: perReplica).map(String.init).joined(separator: ", ")
        throw LayoutError(
          key: "parallelism.microbatch",
          "microbatch \(microbatch) does not divide the \(perReplica) sequences each "
            + "data-parallel replica takes per step (global_batch \(job.globalBatch) / dp "
            + "\(job.layout.data)); use one of \(fits)")
      }
      let microbatches = perReplica / microbatch
      if let need = scheduleNeed(microbatches: microbatches) {
        let fits = Self.divisors(of: perReplica).filter {
          scheduleNeed(microbatches: perReplica / $0) == nil
        }
        throw LayoutError(
          key: "parallelism.microbatch",
          "microbatch \(microbatch) gives \(microbatches) microbatches per step; \(need)"
            + (fits.isEmpty
              ? "; no microbatch does for \(perReplica) sequences per replica"
              : "; use microbatch \(fits.map(String.init).joined(separator: ", "))"))
      }
      let estimate = estimate(microbatch: microbatch)
      try checkMemory(estimate)
      return estimate
    }
    let sizes = Self.divisors(of: perReplica).filter {
      scheduleNeed(microbatches: perReplica / $0) == nil
    }
    guard !sizes.isEmpty else {
      throw LayoutError(
        key: "parallelism.schedule",
        "\(scheduleNeed(microbatches: perReplica) ?? ""), but a replica takes only "
          + "\(perReplica) sequences per step (global_batch / dp)")
    }
    let candidates = sizes.map(estimate(microbatch:))
    let fitting = candidates.filter { $0.memory.totalBytes <= usableHBMBytes }
    guard let best = fitting.min(by: { $0.stepSeconds < $1.stepSeconds }) else {
      try checkMemory(candidates[0])
      return candidates[0]
    }
    return best
  }

  /// Bytes per GPU a layout may take: the chip's HBM less the job's headroom
  /// (`memory_headroom_gb`).
  var usableHBMBytes: Double { Self.usableHBMBytes(chip, headroomGB: job.memoryHeadroomGB) }

  /// `chip`'s HBM less `headroomGB`, in bytes: what every memory comparison allows.
  static func usableHBMBytes(_ chip: Chip, headroomGB: Double) -> Double {
    (chip.hbmGB - headroomGB) * 1e9
  }

  func checkMemory(_ estimate: StepEstimate) throws(LayoutError) {
    let memory = estimate.memory
    guard memory.totalBytes > usableHBMBytes else { return }
    func gb(_ bytes: Double) -> String { String(format: "%.1f", bytes / 1e9) }
    throw LayoutError(
      key: "",
      "needs \(gb(memory.totalBytes)) GB per GPU (weights \(gb(memory.weightsBytes)), "
        + "gradients \(gb(memory.gradientsBytes)), optimizer \(gb(memory.optimizerBytes)), "
        + "activations \(gb(memory.activationsBytes))) at microbatch \(estimate.microbatch); "
        + Self.capacity(chip, headroomGB: job.memoryHeadroomGB))
  }

  /// "H100-SXM5-80GB has 80", and with a headroom ", 72 after the 8 GB headroom": what the
  /// memory messages say the chip offers.
  static func capacity(_ chip: Chip, headroomGB: Double) -> String {
    let has = "\(chip.name) has \(ConfigValue.format(chip.hbmGB))"
    guard headroomGB > 0 else { return has }
    return has + ", \(String(format: "%g", chip.hbmGB - headroomGB)) after the "
      + "\(ConfigValue.format(headroomGB)) GB headroom"
  }

  /// The divisors of `n` in increasing order, by trial up to √n.
  static func divisors(of n: Int) -> [Int] {
    guard n > 0 else { return [] }
    var small: [Int] = []
    var large: [Int] = []
    var d = 1
    while d <= n / d {
      if n % d == 0 {
        small.append(d)
        if d != n / d { large.append(n / d) }
      }
      d += 1
    }
    return small + large.reversed()
  }

  static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

  /// Why the pipeline schedule cannot run `m` microbatches per step, or nil when it can: the
  /// interleaved schedule needs a multiple of pp (Megatron-LM's rule; its bubble (p−1)(F+B)/v
  /// assumes the pipeline full, Narayanan et al., SC '21 §2.2.2), DualPipe an even number of at
  /// least 2·pp (DeepSeek's DualPipe asserts both; arXiv 2412.19437 §3.2.1).
  func scheduleNeed(microbatches m: Int) -> String? {
    let pp = job.layout.pipeline
    guard pp > 1 else { return nil }
    switch job.layout.schedule {
    case .interleaved where m % pp != 0:
      return "the interleaved schedule needs a multiple of pp \(pp) microbatches"
    case .dualPipe where m < 2 * pp || m % 2 != 0:
      return "dualpipe needs an even number of microbatches, at least 2·pp = \(2 * pp)"
    default:
      return nil
    }
  }

  /// Model chunks a microbatch passes through on each device: `virtual_stages` for
  /// interleaving, else one. (DualPipe's devices hold two chunks, one per direction, but each
  /// microbatch passes through only one of them.)
  var chunksPerDevice: Int {
    job.layout.schedule == .interleaved ? job.layout.virtualStages : 1
  }
}
