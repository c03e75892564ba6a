/// What the step-time model's calibration measured: the layout features and the chips and
/// precisions of the shipped calibration cases (configs/calibration/, `clustersim calibrate`
/// prints the region of any set of cases). A layout outside it is an extrapolation: the layout
/// search prefers layouts inside (docs/model.md, "Planning"), and `explain` names what is
/// outside.
public struct CalibratedRegion: Sendable, Hashable {
  public var schedules: Set<PipelineSchedule>
  public var zeroStages: Set<Int>
  public var maximumTensor: Int
  public var maximumPipeline: Int
  public var maximumContext: Int
  public var maximumExpert: Int
  /// The precisions measured on each chip, by chip name.
  public var precisions: [String: Set<Precision>]

  public init(
    schedules: Set<PipelineSchedule>, zeroStages: Set<Int>, maximumTensor: Int,
    maximumPipeline: Int, maximumContext: Int, maximumExpert: Int,
    precisions: [String: Set<Precision>]
  ) {
    self.schedules = schedules
    self.zeroStages = zeroStages
    self.maximumTensor = maximumTensor
    self.maximumPipeline = maximumPipeline
    self.maximumContext = maximumContext
    self.maximumExpert = maximumExpert
    self.precisions = precisions
  }

  /// The region the jobs of some measured cases span, each with the chip it ran on.
  public init(jobs: [(job: TrainingJob, chip: String)]) {
    self.init(
      schedules: Set(jobs.filter { $0.job.layout.pipeline > 1 }.map(\.job.layout.schedule)),
      zeroStages: Set(jobs.map(\.job.layout.zero)),
      maximumTensor: jobs.map(\.job.layout.tensor).max() ?? 1,
      maximumPipeline: jobs.map(\.job.layout.pipeline).max() ?? 1,
      maximumContext: jobs.map(\.job.layout.context).max() ?? 1,
      maximumExpert: jobs.map(\.job.layout.expert).max() ?? 1,
      precisions: Dictionary(jobs.map { ($0.chip, [$0.job.precision]) }, uniquingKeysWith: +)
        .mapValues(Set.init))
  }

  /// The layout features of `layout` outside the region, as short phrases ("zero-bubble
  /// schedule", "ZeRO 2", "cp 16"); empty when every feature was measured.
  public func outside(_ layout: ParallelLayout) -> [String] {
    var result: [String] = []
    if !schedules.contains(layout.schedule), layout.pipeline > 1 {
      result.append("\(layout.schedule.rawValue) schedule")
    }
    if !zeroStages.contains(layout.zero) { result.append("ZeRO \(layout.zero)") }
    if layout.tensor > maximumTensor { result.append("tp \(layout.tensor) > \(maximumTensor)") }
    if layout.pipeline > maximumPipeline {
      result.append("pp \(layout.pipeline) > \(maximumPipeline)")
    }
    if layout.context > maximumContext { result.append("cp \(layout.context) > \(maximumContext)") }
    if layout.expert > maximumExpert { result.append("ep \(layout.expert) > \(maximumExpert)") }
    return result
  }

  /// What is outside the region for `layout` in `precision` on `chip`: the layout's features and,
  /// when no case measured this precision on this chip, that.
  public func outside(_ layout: ParallelLayout, precision: Precision, chip: String) -> [String] {
    var result = outside(layout)
    if precisions[chip]?.contains(precision) != true {
      result.insert("\(precision.name) on \(chip)", at: 0)
    }
    return result
  }

  /// The region as text, one feature per line (what `clustersim calibrate` prints).
  public var text: String {
    let chips = precisions.keys.sorted().map { chip in
      "\(chip) (\(precisions[chip]!.sorted().map(\.name).joined(separator: ", ")))"
    }
    return """
      schedules: \(schedules.map(\.rawValue).sorted().joined(separator: ", "))
      ZeRO stages: \(zeroStages.sorted().map(String.init).joined(separator: ", "))
      largest tp \(maximumTensor), pp \(maximumPipeline), cp \(maximumContext), ep \(maximumExpert)
      chips and precisions: \(chips.joined(separator: "; "))

      """
  }
}

extension CalibratedRegion {
  /// The region of the shipped calibration cases (configs/calibration/); `CalibrateTests` checks
  /// that it equals the region `clustersim calibrate configs/calibration/` prints.
  public static let builtIn = CalibratedRegion(
    schedules: [.oneFOneB, .interleaved, .dualPipe], zeroStages: [0, 1, 3], maximumTensor: 8,
    maximumPipeline: 64, maximumContext: 8, maximumExpert: 64,
    precisions: [
      "A100-SXM4-80GB": [.fp16],
      "B200-SXM-180GB": [.bf16, .fp8, .mxfp8],
      "B300-SXM-288GB": [.bf16, .mxfp8],
      "GB200-NVL72-186GB": [.bf16, .fp8, .mxfp8, .nvfp4],
      "GB300-NVL72-288GB": [.bf16, .fp8, .mxfp8, .nvfp4],
      "H100-SXM5-80GB": [.bf16, .fp8, .fp8Blockwise],
      "H800-SXM5-80GB": [.fp8],
    ])
}
