import Foundation
import Yams

extension ConfigLoader {
  static let phaseKeys =
    [
      "attention_kernel", "checkpoint", "depends_on", "elastic", "global_batch", "gpu_hours",
      "gpus", "hours", "kind", "mfu", "model", "name", "parallelism", "pool", "pools",
      "precision", "priority", "restart_minutes", "seq_len", "steps", "submit_at", "tokens",
    ] + allKindKeys
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
    /// The phase planned on each of its allowed pools (checked while reading it).
    var plans: [PhasePlan]
  }

  /// Plans already made while reading, by what a plan depends on (the phase without its name,
  /// dependencies, submission time and priority) and the pool: phases that differ only in those
  /// are planned once. An RL phase takes about 9 ms to plan, so 10,000 copies took 90 s, and
  /// each kept its own rollout tables (2.6 GB); copies now share one plan's storage.
  typealias PlanCache = [PlanKey: Result<PhasePlan, PlanError>]

  struct PlanKey: Hashable {
    var phase: Phase
    var pool: Int

    init(_ phase: Phase, pool: Int) {
      var bare = phase
      bare.name = ""
      bare.dependencies = []
      bare.submitAtHours = 0
      bare.priority = 0
      self.phase = bare
      self.pool = pool
    }
  }

  /// `phases:`: the program's phases, each planned on its allowed pools. Returns nil when any
  /// phase is invalid or cannot be planned.
  ///
  /// The cheap checks come first: more phases than a program may have is refused before any is
  /// read, and duplicate names and unknown dependencies before any is planned (the phases are
  /// still read, so every other mistake in them is reported with it).
  static func readPhases(
    _ value: ConfigValue, pools: [Pool]?, storage: Storage?, planning: Bool = true,
    _ diagnostics: inout ConfigDiagnostics
  ) -> (phases: [Phase], plans: [[PhasePlan]])? {
    guard let items = value.list(&diagnostics) else { return nil }
    guard items.count <= Program.maximumPhases else {
      diagnostics.report(
        value,
        "the config has \(TextTable.grouped(Double(items.count), decimals: 0)) phases; at most "
          + "\(TextTable.grouped(Double(Program.maximumPhases), decimals: 0)) are accepted")
      return nil
    }
    let planning = planning && !hasCheapProblems(items)
    var cache = PlanCache()
    guard
      var drafts = readNamedList(
        items, in: value, kind: "phase", name: \.phase.name, &diagnostics,
        read: { item, diagnostics in
          readPhase(
            item, pools: pools, storage: storage, planning: planning, cache: &cache, &diagnostics)
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
    let plans = drafts.enumerated().map { index, draft in
      draft.plans.map { plan in
        var plan = plan
        plan.phase = index
        return plan
      }
    }
    return (phases, plans)
  }

  /// Whether the phase list has a mistake found without reading the phases: two with the same
  /// `name`, or a `depends_on` naming no phase. Only names are looked at; the mistakes are
  /// reported by the full read (`readNamedList`, `readPhases`), which skips planning then.
  static func hasCheapProblems(_ items: [ConfigValue]) -> Bool {
    var names = Set<String>()
    for item in items {
      guard let name = item.node["name"]?.scalar?.string else { continue }
      if !names.insert(name).inserted { return true }
    }
    for item in items {
      guard case .sequence(let dependencies) = item.node["depends_on"] else { continue }
      for dependency in dependencies {
        if let name = dependency.scalar?.string, !names.contains(name) { return true }
      }
    }
    return false
  }

  static func readPhase(
    _ item: ConfigValue, pools: [Pool]?, storage: Storage?, planning: Bool = true,
    cache: inout PlanCache, _ diagnostics: inout ConfigDiagnostics
  ) -> PhaseDraft? {
    guard let fields = ConfigMapping(item, allowedKeys: phaseKeys, diagnostics: &diagnostics)
    else { return nil }
    let name = fields.required("name", &diagnostics)?.string(&diagnostics)
    let gpusValue = fields.required("gpus", &diagnostics)
    let gpus = gpusValue?.integer(in: 1...100_000_000, &diagnostics)

    let allowed = readPoolChoice(fields, pools: pools, &diagnostics)
    let submitAt =
      fields["submit_at"].map { $0.nonNegativeNumber(atMost: .hours, &diagnostics) } ?? 0
    let priority =
      fields["priority"].map { $0.integer(in: -1_000_000...1_000_000, &diagnostics) } ?? 0

    let precision =
      fields["precision"].map { choice($0, Precision.self, named: "precision", &diagnostics) }
      ?? .bf16

    let kind = fields["kind"].map { choice($0, PhaseKind.self, named: "phase kind", &diagnostics) }
    let work: Work?
    switch kind {
    case .some(nil):
      work = nil  // an unknown kind, reported
    case .some(let kind?):
      work =
        misplacedKindKey(kind, fields, &diagnostics)
        ? nil : readKindWork(kind, fields, &diagnostics)
    case nil:
      work =
        misplacedKindKey(nil, fields, &diagnostics)
        ? nil
        : describesShape(fields["model"])
          ? readTrainingWork(fields, &diagnostics) : readWork(fields, &diagnostics)
    }

    let dependencies = fields["depends_on"].flatMap { $0.list(&diagnostics) } ?? []
    guard let name, let gpus, let gpusValue, let work, let allowed, let pools, let precision,
      let submitAt, submitAt <= Phase.maximumHours, let priority
    else { return nil }
    guard let (checkpoint, elastic) = readCheckpoint(fields, work: work, storage: storage, &diagnostics)
    else { return nil }
    let phase = Phase(
      name: name, poolIndex: allowed[0].index, gpus: gpus, precision: precision, work: work,
      checkpoint: checkpoint, elastic: elastic, poolIndices: allowed.map(\.index),
      submitAtHours: submitAt, priority: priority)
    let planner = Planner(Program(source: "", pools: pools, phases: [phase]))
    var planned = true
    var plans: [PhasePlan] = []
    for (slot, choice) in allowed.enumerated() where planning {
      let key = PlanKey(phase, pool: choice.index)
      let result =
        cache[key]
        ?? Result { () throws(PlanError) in try planner.plan(phase: 0, pool: choice.index) }
      cache[key] = result
      do {
        plans.append(try result.get())
      } catch {
        reportPlanError(
          error, fields: fields, gpus: gpusValue, pool: slot == 0 ? nil : choice,
          pools: pools, &diagnostics)
        planned = false
        if error.kind == .poolTooSmall { continue }
        break
      }
    }
    guard planned else { return nil }
    return PhaseDraft(item: item, phase: phase, dependencyNames: dependencies, plans: plans)
  }

  /// Reports a planning error at the config key it names: on the phase's first pool at that key,
  /// on a later pool at the pool's name (prefixed with the pool).
  static func reportPlanError(
    _ error: PlanError, fields: ConfigMapping, gpus: ConfigValue,
    pool choice: (index: Int, value: ConfigValue)?, pools: [Pool],
    _ diagnostics: inout ConfigDiagnostics
  ) {
    if error.key == "gpus" {
      diagnostics.report(gpus, error.message)
      return
    }
    if let choice, error.key != "precision" {
      diagnostics.report(choice.value, "on pool \"\(pools[choice.index].name)\": \(error.message)")
      return
    }
    var at: ConfigValue = choice?.value ?? fields.value
    switch error.key {
    case "": break
    case "work":
      if let key = workKeys.first(where: fields.has), let value = fields[key] { at = value }
    default:
      let parts = error.key.split(separator: ".").map(String.init)
      if let first = parts.first, let top = fields[first] {
        at = top
        if parts.count > 1 { at = top.childValue(parts[1]) }
      }
    }
    diagnostics.report(at, error.message)
  }

  /// The work of a phase described by its model shape: `tokens` or `steps`, and the step time.
  static func readTrainingWork(_ fields: ConfigMapping, _ diagnostics: inout ConfigDiagnostics)
    -> Work?
  {
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
    return readTraining(fields, &diagnostics)
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
      return fields["gpu_hours"]?.positiveNumber(atMost: .gpuHours, &diagnostics).map(Work.gpuHours)
    case "hours":
      return fields["hours"]?.positiveNumber(atMost: .hours, &diagnostics).map(Work.hours)
    default:
      let tokens = fields["tokens"]?.positiveNumber(atMost: .trainingTokens, &diagnostics)
      var activeParams: Double?
      if let modelValue = fields["model"] {
        if let model = ConfigMapping(modelValue, allowedKeys: modelKeys, diagnostics: &diagnostics)
        {
          activeParams = model.required("active_params", &diagnostics)?
            .positiveNumber(atMost: .parameters, &diagnostics)
        }
      } else {
        diagnostics.report(
          fields.value, "work given as tokens needs model.active_params (parameters per token)")
      }
      var mfu: Double?
      if let mfuValue = fields["mfu"] {
        mfu = mfuValue.fraction(of: "peak", &diagnostics)
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
}
