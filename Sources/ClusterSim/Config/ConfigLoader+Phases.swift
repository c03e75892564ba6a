import Foundation

extension ConfigLoader {
  static let phaseKeys = [
    "attention_kernel", "checkpoint", "depends_on", "elastic", "global_batch", "gpu_hours",
    "gpus", "hours", "mfu", "model", "name", "parallelism", "pool", "pools", "precision",
    "priority", "restart_minutes", "seq_len", "steps", "submit_at", "tokens",
  ]
  /// Keys that only a phase described by its model shape takes.
  static let trainingKeys = ["attention_kernel", "global_batch", "parallelism", "seq_len", "steps"]
  static let modelKeys = ["active_params"]
  /// The keys that give a phase's work; exactly one must be present.
  static let workKeys = ["gpu_hours", "hours", "tokens", "steps"]

  /// One phase as read, before its dependencies are resolved to indices.
  struct PhaseDraft {
    var item: ConfigValue
    var phase: Phase
    var dependencyNames: [ConfigValue]
  }

  /// `phases:`: the program's phases. Returns nil when any phase is invalid.
  static func readPhases(
    _ value: ConfigValue, pools: [Pool]?, storage: Storage?,
    _ diagnostics: inout ConfigDiagnostics
  ) -> [Phase]? {
    guard let items = value.list(&diagnostics) else { return nil }
    guard
      var drafts = readNamedList(
        items, in: value, kind: "phase", name: \.phase.name, &diagnostics,
        read: { item, diagnostics in
          readPhase(item, pools: pools, storage: storage, &diagnostics)
        }
      ), pools != nil
    else { return nil }
    let indexByName = Dictionary(
      uniqueKeysWithValues: drafts.enumerated().map { ($1.phase.name, $0) })
    var valid = true

    let names = drafts.map(\.phase.name)
    for index in drafts.indices {
      for dependency in drafts[index].dependencyNames {
        guard let name = dependency.string(&diagnostics) else {
          valid = false
          continue
        }
        guard let target = indexByName[name] else {
          diagnostics.report(
            dependency,
            "no phase named \"\(name)\"\(Suggestion.didYouMean(name, in: names)) "
              + "(phases: \(names.joined(separator: ", ")))")
          valid = false
          continue
        }
        if !drafts[index].phase.dependencies.contains(target) {
          drafts[index].phase.dependencies.append(target)
        }
      }
    }
    guard valid else { return nil }
    let phases = drafts.map(\.phase)
    if let cycle = DependencyGraph(phases: phases).firstCycle() {
      let path = cycle.map { phases[$0].name } + [phases[cycle[0]].name]
      let at = drafts[cycle[0]].item.childValue("depends_on")
      diagnostics.report(at, "dependency cycle: \(path.joined(separator: " -> "))")
      return nil
    }
    return phases
  }

  static func readPhase(
    _ item: ConfigValue, pools: [Pool]?, storage: Storage?,
    _ diagnostics: inout ConfigDiagnostics
  ) -> PhaseDraft? {
    guard let fields = ConfigMapping(item, allowedKeys: phaseKeys, diagnostics: &diagnostics)
    else { return nil }
    let name = fields.required("name", &diagnostics)?.string(&diagnostics)
    let gpusValue = fields.required("gpus", &diagnostics)
    let gpus = gpusValue?.integer(in: 1...100_000_000, &diagnostics)

    let allowed = readPoolChoice(fields, pools: pools, &diagnostics)
    let poolIndex = allowed?.first?.index
    let pool = poolIndex.flatMap { pools?[$0] }
    var poolsFit = true
    for choice in allowed ?? [] {
      guard let gpus, let gpusValue, let pools, gpus > pools[choice.index].schedulableGPUs
      else { continue }
      let chosen = pools[choice.index]
      diagnostics.report(
        gpusValue,
        "\(gpus) GPUs requested but pool \"\(chosen.name)\" has \(chosen.schedulableGPUs)")
      poolsFit = false
    }
    let submitAt = fields["submit_at"].map { $0.nonNegativeNumber(&diagnostics) } ?? 0
    if let submitAt, submitAt > Phase.maximumHours, let at = fields["submit_at"] {
      diagnostics.report(
        at,
        "must be at most \(ConfigValue.format(Phase.maximumHours)) hours, got "
          + ConfigValue.format(submitAt))
    }
    let priority =
      fields["priority"].map { $0.integer(in: -1_000_000...1_000_000, &diagnostics) } ?? 0

    var precision = Precision.bf16
    if let precisionValue = fields["precision"], let text = precisionValue.string(&diagnostics) {
      if let parsed = Precision(rawValue: text) {
        precision = parsed
      } else {
        let names = Precision.allCases.map(\.name)
        diagnostics.report(
          precisionValue,
          "unknown precision \"\(text)\"\(Suggestion.didYouMean(text, in: names)) "
            + "(precisions: \(names.joined(separator: ", ")))")
      }
    }

    let work =
      describesShape(fields["model"])
      ? readTrainingWork(fields, gpus: gpus, pool: pool, precision: precision, &diagnostics)
      : readWork(fields, &diagnostics)
    if let pool, case .tokens = work, pool.chip.peakFLOPS(precision) == nil {
      let have = pool.chip.precisions.map(\.name).joined(separator: ", ")
      diagnostics.report(
        fields["precision"] ?? item,
        "chip \(pool.chip.name) of pool \"\(pool.name)\" has no \(precision.name) peak "
          + "(it has: \(have))")
      return nil
    }

    let dependencies = fields["depends_on"].flatMap { $0.list(&diagnostics) } ?? []
    guard let name, let gpus, let poolIndex, let work, let pool, poolsFit, let allowed,
      let submitAt, submitAt <= Phase.maximumHours, let priority
    else { return nil }
    guard
      let (checkpoint, elastic) = readCheckpoint(
        fields, nodes: Phase.nodes(gpus: gpus, gpusPerNode: pool.gpusPerNode), pool: pool,
        work: work,
        storage: storage, &diagnostics)
    else { return nil }
    var phase = Phase(
      name: name, poolIndex: poolIndex, gpus: gpus, precision: precision, work: work,
      checkpoint: checkpoint, elastic: elastic, poolIndices: allowed.map(\.index),
      submitAtHours: submitAt, priority: priority)
    let hours = WorkEstimate.hours(for: phase, on: pool)
    if allowed.count > 1, let pools {
      guard
        let others = hoursOnOtherPools(
          phase, allowed: allowed, pools: pools, precisionValue: fields["precision"],
          &diagnostics)
      else { return nil }
      phase.hoursByPool = [hours] + others
    }
    guard hours <= Phase.maximumHours else {
      let key = workKeys.first(where: fields.has) ?? "gpus"
      diagnostics.report(
        fields[key] ?? item,
        "the work takes \(ConfigValue.format(hours)) hours on \(gpus) GPUs, more than the "
          + "\(ConfigValue.format(Phase.maximumHours)) hours (114 years) a phase may last; "
          + "check its size and units")
      return nil
    }
    let mtbf = pool.failures.mtbfHours(nodes: phase.nodes(gpusPerNode: pool.gpusPerNode))
    let expected = CheckpointMath.expectedWallHours(
      workHours: hours, policy: checkpoint, mtbfHours: mtbf)
    guard !mtbf.isFinite || expected <= Phase.maximumHours else {
      let plan =
        checkpoint.intervalHours.map { "checkpoints every \(ConfigValue.format($0)) h" }
        ?? "no checkpoints"
      let duration =
        expected.isFinite ? "\(String(format: "%.3g", expected)) hours" : "longer than any bound"
      diagnostics.report(
        fields["checkpoint"] ?? item,
        "with an interruption every \(String(format: "%.3g", mtbf)) h on its nodes and \(plan), "
          + "the phase is expected to take \(duration), more than the "
          + "\(TextTable.grouped(Phase.maximumHours, decimals: 0)) hours a phase may last; "
          + "checkpoint (more often) or run on fewer nodes")
      return nil
    }
    return PhaseDraft(item: item, phase: phase, dependencyNames: dependencies)
  }

  /// The work of a phase described by its model shape: `tokens` or `steps`, and the step time.
  static func readTrainingWork(
    _ fields: ConfigMapping, gpus: Int?, pool: Pool?, precision: Precision,
    _ diagnostics: inout ConfigDiagnostics
  ) -> Work? {
    let given = workKeys.filter(fields.has)
    guard given.count == 1, ["tokens", "steps"].contains(given[0]) else {
      if let other = given.first(where: { !["tokens", "steps"].contains($0) }),
        let at = fields[other]
      {
        diagnostics.report(
          at,
          "a phase with a model shape takes its work as tokens or steps; remove \(other)")
      } else if given.count > 1, let at = fields[given[1]] {
        diagnostics.report(at, "the work is given twice (tokens and steps); keep exactly one")
      } else {
        diagnostics.report(
          fields.value, "missing the work: give tokens or steps (with global_batch and seq_len)")
      }
      return nil
    }
    return readTraining(fields, gpus: gpus, pool: pool, precision: precision, &diagnostics)
  }

  /// The work of a phase: exactly one of `gpu_hours`, `hours`, or `tokens` with
  /// `model.active_params` and `mfu`.
  static func readWork(_ fields: ConfigMapping, _ diagnostics: inout ConfigDiagnostics) -> Work? {
    if let extra = trainingKeys.first(where: fields.has), let at = fields[extra] {
      diagnostics.report(
        at,
        "applies only to a phase whose model gives its shape (layers, hidden, heads, vocab, ...)")
      return nil
    }
    let given = workKeys.filter(fields.has)
    guard given.count == 1 else {
      if given.isEmpty {
        diagnostics.report(
          fields.value,
          "missing the work: give one of gpu_hours, hours, or tokens (with model.active_params "
            + "and mfu)")
      } else {
        let second = fields[given[1]] ?? fields.value
        diagnostics.report(
          second,
          "the work is given twice (\(given.joined(separator: " and "))); keep exactly one")
      }
      return nil
    }
    let tokensOnly = ["model", "mfu"].filter(fields.has)
    if given[0] != "tokens", let extra = tokensOnly.first, let value = fields[extra] {
      diagnostics.report(value, "applies only to work given as tokens; remove it or give tokens")
      return nil
    }
    switch given[0] {
    case "gpu_hours":
      return fields["gpu_hours"]?.positiveNumber(&diagnostics).map(Work.gpuHours)
    case "hours":
      return fields["hours"]?.positiveNumber(&diagnostics).map(Work.hours)
    default:
      let tokens = fields["tokens"]?.positiveNumber(&diagnostics)
      var activeParams: Double?
      if let modelValue = fields["model"] {
        if let model = ConfigMapping(modelValue, allowedKeys: modelKeys, diagnostics: &diagnostics)
        {
          activeParams = model.required("active_params", &diagnostics)?
            .positiveNumber(&diagnostics)
        }
      } else {
        diagnostics.report(
          fields.value, "work given as tokens needs model.active_params (parameters per token)")
      }
      var mfu: Double?
      if let mfuValue = fields["mfu"] {
        mfu = mfuValue.positiveNumber(&diagnostics)
        if let value = mfu, value > 1 {
          diagnostics.report(
            mfuValue,
            "must be a fraction of peak between 0 and 1, got \(ConfigValue.format(value))")
          mfu = nil
        }
      } else {
        diagnostics.report(
          fields.value, "work given as tokens needs mfu (model FLOPs utilisation, 0 < mfu <= 1)")
      }
      guard let tokens, let activeParams, let mfu else { return nil }
      return .tokens(tokens: tokens, activeParams: activeParams, mfu: mfu)
    }
  }

  /// `pool` or `pools`: the allowed pools, each with the value that named it.
  static func readPoolChoice(
    _ fields: ConfigMapping, pools: [Pool]?, _ diagnostics: inout ConfigDiagnostics
  ) -> [(index: Int, value: ConfigValue)]? {
    var values: [ConfigValue]
    switch (fields["pool"], fields["pools"]) {
    case (let one?, nil):
      values = [one]
    case (nil, let list?):
      guard let items = list.list(&diagnostics) else { return nil }
      guard !items.isEmpty else {
        diagnostics.report(list, "give at least one pool")
        return nil
      }
      values = items
    case (_?, let list?):
      diagnostics.report(list, "give pool or pools, not both")
      return nil
    case (nil, nil):
      diagnostics.report(fields.value, "missing required key \"pool\" (or \"pools\")")
      return nil
    }
    guard let pools else { return nil }
    var chosen: [(index: Int, value: ConfigValue)] = []
    let names = pools.map(\.name)
    for value in values {
      guard let name = value.string(&diagnostics) else { return nil }
      guard let index = pools.firstIndex(where: { $0.name == name }) else {
        diagnostics.report(
          value,
          "no pool named \"\(name)\"\(Suggestion.didYouMean(name, in: names)) "
            + "(pools: \(names.joined(separator: ", ")))")
        return nil
      }
      if chosen.contains(where: { $0.index == index }) {
        diagnostics.report(value, "pool \"\(name)\" is listed twice")
        return nil
      }
      chosen.append((index, value))
    }
    return chosen
  }

  /// Hours of a phase's work on its allowed pools after the first: the step-time model on each
  /// pool's chip for a phase described by its model, `WorkEstimate` otherwise.
  static func hoursOnOtherPools(
    _ phase: Phase, allowed: [(index: Int, value: ConfigValue)], pools: [Pool],
    precisionValue: ConfigValue?, _ diagnostics: inout ConfigDiagnostics
  ) -> [Double]? {
    var hours: [Double] = []
    for choice in allowed.dropFirst() {
      let pool = pools[choice.index]
      switch phase.work {
      case .training(let job, _):
        do {
          let step = try StepTimeModel(job: job, chip: pool.chip, gpusPerNode: pool.gpusPerNode)
            .estimate()
          hours.append(job.steps * step.stepSeconds / 3600)
        } catch {
          diagnostics.report(choice.value, "on pool \"\(pool.name)\": \(error.message)")
          return nil
        }
      case .tokens:
        guard pool.chip.peakFLOPS(phase.precision) != nil else {
          diagnostics.report(
            precisionValue ?? choice.value,
            "chip \(pool.chip.name) of pool \"\(pool.name)\" has no \(phase.precision.name) peak")
          return nil
        }
        hours.append(WorkEstimate.hours(for: phase, on: pool))
      case .gpuHours, .hours:
        hours.append(WorkEstimate.hours(for: phase, on: pool))
      }
    }
    return hours
  }
}
