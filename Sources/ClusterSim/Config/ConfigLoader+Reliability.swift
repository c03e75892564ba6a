import Foundation
import SimKernel
import Yams

/// The cluster's checkpoint storage: aggregate bandwidth, in GB/s.
struct Storage {
  var writeGBPerS: Double?
  var readGBPerS: Double?
}

extension ConfigLoader {
  static let storageKeys = ["read_gb_per_s", "write_gb_per_s"]
  static let failureKeys = ["components", "maintenance", "profile", "scale"]
  static let componentKeys = [
    "category", "distribution", "mtbf_hours", "name", "per_gpu_hour", "per_node_day", "repair",
    "repair_hours", "repair_sd_hours", "shape", "takes_node_down",
  ]
  static let rateKeys = ["per_gpu_hour", "per_node_day", "mtbf_hours"]
  static let maintenanceKeys = ["duration_hours", "every_hours"]
  static let checkpointKeys = ["interval", "restore_minutes", "write_minutes"]

  /// `cluster.storage`.
  static func readStorage(_ value: ConfigValue, _ diagnostics: inout ConfigDiagnostics)
    -> Storage?
  {
    guard let fields = ConfigMapping(value, allowedKeys: storageKeys, diagnostics: &diagnostics)
    else { return nil }
    var storage = Storage()
    if let given = fields["write_gb_per_s"] {
      guard let number = given.positiveNumber(atMost: .storageGBPerS, &diagnostics) else {
        return nil
      }
      storage.writeGBPerS = number
    }
    if let given = fields["read_gb_per_s"] {
      guard let number = given.positiveNumber(atMost: .storageGBPerS, &diagnostics) else {
        return nil
      }
      storage.readGBPerS = number
    }
    return storage
  }

  /// `pools[].failures`: a profile, components, maintenance.
  static func readFailures(
    _ value: ConfigValue, gpusPerNode: Int, _ diagnostics: inout ConfigDiagnostics
  ) -> FailureModel? {
    guard let fields = ConfigMapping(value, allowedKeys: failureKeys, diagnostics: &diagnostics)
    else { return nil }
    var model = FailureModel()
    var valid = true
    if let profile = fields["profile"] {
      guard let name = profile.string(&diagnostics) else { return nil }
      guard let chosen = FailureProfiles.named(name) else {
        diagnostics.report(
          profile,
          "unknown failure profile \"\(name)\""
            + "\(Suggestion.didYouMean(name, in: FailureProfiles.names)) (profiles: "
            + FailureProfiles.names.joined(separator: ", ") + ")")
        return nil
      }
      var scale = 1.0
      if let given = fields["scale"] {
        guard let number = given.nonNegativeNumber(atMost: .scale, &diagnostics) else { return nil }
        scale = number
      }
      model.components = chosen.components(gpusPerNode: gpusPerNode, scale: scale)
    } else if let scale = fields["scale"] {
      diagnostics.report(scale, "scales a profile; give failures.profile or remove scale")
      return nil
    }
    if let list = fields["components"] {
      guard let items = list.list(&diagnostics) else { return nil }
      if let components = readNamedList(
        items, in: list, kind: "component", name: \.name, &diagnostics,
        read: { item, diagnostics in readComponent(item, gpusPerNode: gpusPerNode, &diagnostics) })
      {
        model.components += components
      } else {
        valid = false
      }
    }
    if let given = fields["maintenance"] {
      guard
        let maintenance = ConfigMapping(
          given, allowedKeys: maintenanceKeys, diagnostics: &diagnostics),
        let every = maintenance.required("every_hours", &diagnostics)?
          .positiveNumber(atMost: .hours, &diagnostics),
        let duration = maintenance.required("duration_hours", &diagnostics)?
          .positiveNumber(atMost: .hours, &diagnostics)
      else { return nil }
      guard duration < every else {
        diagnostics.report(
          maintenance["duration_hours"] ?? given,
          "maintenance of \(ConfigValue.format(duration)) hours every "
            + "\(ConfigValue.format(every)) hours leaves no time to run; make it shorter than "
            + "every_hours")
        return nil
      }
      model.maintenance = Maintenance(everyHours: every, durationHours: duration)
    }
    return valid ? model : nil
  }

  /// One entry of `failures.components`.
  static func readComponent(
    _ item: ConfigValue, gpusPerNode: Int, _ diagnostics: inout ConfigDiagnostics
  ) -> FailureComponent? {
    guard let fields = ConfigMapping(item, allowedKeys: componentKeys, diagnostics: &diagnostics)
    else { return nil }
    let name = fields.required("name", &diagnostics)?.string(&diagnostics)
    let category = fields["category"].map { $0.string(&diagnostics) } ?? "other"
    let given = rateKeys.filter(fields.has)
    guard given.count == 1, let rateValue = fields[given[0]] else {
      diagnostics.report(
        given.count > 1 ? (fields[given[1]] ?? item) : item,
        given.isEmpty
          ? "missing the failure rate: give one of per_gpu_hour, per_node_day or mtbf_hours"
          : "the rate is given twice (\(given.joined(separator: " and "))); keep exactly one")
      return nil
    }
    let rateBound: ConfigBound =
      switch given[0] {
      case "per_gpu_hour": .perGPUHour
      case "per_node_day": .perNodeDay
      default: .mtbfHours
      }
    guard let number = rateValue.positiveNumber(atMost: rateBound, &diagnostics) else { return nil }
    let rate: Double =
      switch given[0] {
      case "per_gpu_hour": number * Double(gpusPerNode)
      case "per_node_day": number / 24
      default: 1 / number
      }
    var shape = 1.0
    let law =
      fields["distribution"].map { choice($0, FailureLaw.self, named: "distribution", &diagnostics) }
      ?? .exponential
    switch law {
    case .exponential:
      if let extra = fields["shape"] {
        diagnostics.report(extra, "applies only to distribution: weibull")
        return nil
      }
    case .weibull:
      guard
        let given = fields.required("shape", &diagnostics)?
          .positiveNumber(atMost: .weibullShape, &diagnostics)
      else { return nil }
      shape = given
    case nil:
      return nil
    }
    var down = true
    if let given = fields["takes_node_down"] {
      guard let parsed = bool(given, &diagnostics) else { return nil }
      down = parsed
    }
    var repair = Distribution.fixed(0)
    if down {
      guard
        let mean = fields.required("repair_hours", &diagnostics)?
          .positiveNumber(atMost: .hours, &diagnostics)
      else { return nil }
      let kind =
        fields["repair"].map { choice($0, HoursLaw.self, named: "repair distribution", &diagnostics) }
        ?? .fixed
      guard let kind,
        let law = hoursLaw(
          kind, mean: mean, sdKey: "repair_sd_hours", in: fields, &diagnostics)
      else { return nil }
      repair = law
      if kind != .lognormal, let extra = fields["repair_sd_hours"] {
        diagnostics.report(extra, "applies only to repair: lognormal")
        return nil
      }
    } else if let extra = ["repair", "repair_hours", "repair_sd_hours"].first(where: fields.has),
      let at = fields[extra]
    {
      diagnostics.report(
        at, "a failure that does not take the node down has no repair; remove \(extra)")
      return nil
    }
    guard let name, let category else { return nil }
    return FailureComponent(
      name: name, category: category, ratePerNodeHour: rate, shape: shape, repair: repair,
      takesNodeDown: down)
  }

  /// A phase's `checkpoint`, `restart_minutes` and `elastic`: the write and restore times given,
  /// or derived from the checkpoint size (`TrainingSpec.checkpointGB`) and the cluster's storage
  /// bandwidth; the interval given, or `auto` (Daly's optimum, resolved by the planner for each
  /// pool's failure rate).
  static func readCheckpoint(
    _ fields: ConfigMapping, work: Work, storage: Storage?, _ diagnostics: inout ConfigDiagnostics
  ) -> (CheckpointPolicy, elastic: Bool)? {
    var policy = CheckpointPolicy(restartHours: CheckpointPolicy.defaultRestartHours)
    if let given = fields["restart_minutes"] {
      guard let minutes = given.nonNegativeNumber(atMost: .minutes, &diagnostics) else {
        return nil
      }
      policy.restartHours = minutes / 60
    }
    var elastic = false
    if let given = fields["elastic"] {
      guard let parsed = bool(given, &diagnostics) else { return nil }
      elastic = parsed
    }
    guard let value = fields["checkpoint"] else { return (policy, elastic) }
    guard
      let checkpoint = ConfigMapping(value, allowedKeys: checkpointKeys, diagnostics: &diagnostics)
    else { return nil }
    var sizeGB: Double?
    switch work {
    case .training(let spec): sizeGB = spec.checkpointGB
    case .rl(let spec): sizeGB = spec.training(seqLen: 1).checkpointGB
    default: break
    }
    func minutes(_ key: String, bandwidth: Double?, storageKey: String) -> Double? {
      if let given = checkpoint[key] {
        return given.nonNegativeNumber(atMost: .minutes, &diagnostics).map { $0 / 60 }
      }
      guard let sizeGB, let bandwidth else {
        diagnostics.report(
          value,
          "missing \(key): give it, or "
            + (sizeGB.map {
              "give cluster.storage.\(storageKey) so the \(String(format: "%.1f", $0)) GB checkpoint sets it"
            }
              ?? "describe the phase by its model and give cluster.storage.\(storageKey) so the checkpoint size sets it")
        )
        return nil
      }
      return sizeGB / bandwidth / 3600
    }
    guard
      let write = minutes(
        "write_minutes", bandwidth: storage?.writeGBPerS, storageKey: "write_gb_per_s"),
      let restore = minutes(
        "restore_minutes", bandwidth: storage?.readGBPerS, storageKey: "read_gb_per_s")
    else { return nil }
    policy.writeHours = write
    policy.restoreHours = restore
    guard let interval = checkpoint.required("interval", &diagnostics) else { return nil }
    if case .scalar(let scalar) = interval.node, ["auto", "none"].contains(scalar.string) {
      policy.intervalIsAuto = scalar.string == "auto"
    } else {
      if case .scalar(let scalar) = interval.node, Double(scalar.string) == nil {
        diagnostics.report(
          interval,
          "expected hours between checkpoints, auto or none, got \(interval.shown)"
            + Suggestion.didYouMean(scalar.string, in: ["auto", "none"]))
        return nil
      }
      guard let hours = interval.positiveNumber(atMost: .hours, &diagnostics) else { return nil }
      policy.intervalHours = hours
    }
    return (policy, elastic)
  }

  /// A law of hours with mean `mean`: fixed, exponential, or lognormal with the standard deviation
  /// under `sdKey` of `fields` (required, and read, only for lognormal).
  static func hoursLaw(
    _ kind: HoursLaw, mean: Double, sdKey: String, in fields: ConfigMapping,
    _ diagnostics: inout ConfigDiagnostics
  ) -> Distribution? {
    switch kind {
    case .fixed: return .fixed(mean)
    case .exponential: return .exponential(mean: mean)
    case .lognormal:
      return fields.required(sdKey, &diagnostics)?
        .positiveNumber(atMost: .hours, &diagnostics).map {
        .logNormal(mean: mean, standardDeviation: $0)
      }
    }
  }
}
