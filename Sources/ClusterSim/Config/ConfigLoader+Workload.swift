import SimKernel
import Yams

extension ConfigLoader {
  static let workloadKeys = ["generate"]
  static let generateKeys = [
    "arrival", "count", "gpus", "hours", "name", "pool", "pools", "priority",
  ]
  static let arrivalKeys = ["every_hours", "poisson_per_hour"]
  static let durationKeys = ["distribution", "mean_hours", "sd_hours"]

  /// `workload.generate`: `count` similar jobs arriving by a Poisson process or at fixed
  /// intervals, each with a GPU count drawn uniformly from `gpus` and a duration drawn from
  /// `hours`. The jobs are drawn once, from the stream of (seed, 2⁶⁴ − 1), so every replication
  /// schedules the same jobs (`docs/scheduling.md`).
  static func readWorkload(
    _ value: ConfigValue, pools: [Pool], existing: [String], seed: UInt64,
    _ diagnostics: inout ConfigDiagnostics
  ) -> [Phase]? {
    guard let workload = ConfigMapping(value, allowedKeys: workloadKeys, diagnostics: &diagnostics),
      let generateValue = workload.required("generate", &diagnostics),
      let fields = ConfigMapping(
        generateValue, allowedKeys: generateKeys, diagnostics: &diagnostics)
    else { return nil }
    let count = fields.required("count", &diagnostics)?.integer(
      in: 1...Program.maximumPhases, &diagnostics)
    let prefix = fields["name"].map { $0.string(&diagnostics) } ?? "job"
    let allowed = readPoolChoice(fields, pools: pools, &diagnostics)

    var gpuChoices: [Int]?
    if let gpusValue = fields.required("gpus", &diagnostics) {
      if case .sequence = gpusValue.node {
        gpuChoices = gpusValue.list(&diagnostics)?.compactMap {
          $0.integer(in: 1...100_000_000, &diagnostics)
        }
        if gpuChoices?.isEmpty == true {
          diagnostics.report(gpusValue, "give at least one GPU count")
          gpuChoices = nil
        }
      } else {
        gpuChoices = gpusValue.integer(in: 1...100_000_000, &diagnostics).map { [$0] }
      }
    }
    if let gpuChoices, let allowed, let largest = gpuChoices.max() {
      for choice in allowed where largest > pools[choice.index].schedulableGPUs {
        diagnostics.report(
          fields["gpus"] ?? value,
          "jobs of \(largest) GPUs do not fit pool \"\(pools[choice.index].name)\" "
            + "(\(pools[choice.index].schedulableGPUs) GPUs)")
        return nil
      }
    }

    var interarrival: Distribution?
    if let arrival = fields.required("arrival", &diagnostics),
      let spec = ConfigMapping(arrival, allowedKeys: arrivalKeys, diagnostics: &diagnostics)
    {
      switch (spec["poisson_per_hour"], spec["every_hours"]) {
      case (let rate?, nil):
        interarrival = rate.positiveNumber(atMost: .jobsPerHour, &diagnostics).map {
          .exponential(mean: 1 / $0)
        }
      case (nil, let every?):
        interarrival = every.positiveNumber(atMost: .hours, &diagnostics).map { .fixed($0) }
      default:
        diagnostics.report(arrival, "give exactly one of poisson_per_hour and every_hours")
      }
    }

    var duration: Distribution?
    if let hours = fields.required("hours", &diagnostics),
      let spec = ConfigMapping(hours, allowedKeys: durationKeys, diagnostics: &diagnostics),
      let mean = spec.required("mean_hours", &diagnostics)?
        .positiveNumber(atMost: .hours, &diagnostics)
    {
      let kind =
        spec["distribution"].map { choice($0, HoursLaw.self, named: "distribution", &diagnostics) }
        ?? .fixed
      if let kind {
        duration = hoursLaw(
          kind, mean: mean, sdKey: "sd_hours", in: spec, &diagnostics)
      }
    }
    let priority =
      fields["priority"].map { $0.integer(in: -1_000_000...1_000_000, &diagnostics) } ?? 0

    guard let count, let prefix, let allowed, let gpuChoices, let interarrival, let duration,
      let priority
    else { return nil }
    let names = Set(existing)
    if let clash = (1...count).map({ "\(prefix)-\($0)" }).first(where: names.contains) {
      diagnostics.report(
        fields["name"] ?? value, "generated job \"\(clash)\" clashes with a phase of that name")
      return nil
    }
    var stream = RandomStream(seed: seed, replication: .max)
    var clock = 0.0
    var jobs: [Phase] = []
    for index in 1...count {
      clock += interarrival.sample(using: &stream)
      let gpus = gpuChoices[Int(stream.nextUnitInterval() * Double(gpuChoices.count))]
      let hours = min(duration.sample(using: &stream), Phase.maximumHours)
      let job = Phase(
        name: "\(prefix)-\(index)", poolIndex: allowed[0].index, gpus: gpus, work: .hours(hours),
        checkpoint: CheckpointPolicy(restartHours: CheckpointPolicy.defaultRestartHours),
        poolIndices: allowed.map(\.index), submitAtHours: min(clock, Phase.maximumHours),
        priority: priority)
      jobs.append(job)
    }
    return jobs
  }
}
