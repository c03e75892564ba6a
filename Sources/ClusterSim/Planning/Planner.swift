import Foundation

/// Turns (phase, pool, GPUs) into a plan: the layout (searched where the config says `auto`),
/// the step, the uninterrupted hours, the nodes, the checkpoint interval for that pool's failure
/// rate, and the expected-time guard (`docs/model.md`, "Planning").
///
/// The program is the config as written; nothing here is stored back into it, so a program
/// changed in code (a phase's GPUs, its pools, a price, a layout key) is planned again by making a
/// new planner.
public struct Planner: Sendable {
  public var program: Program

  /// The most interruptions one phase may expect in one replication (docs/config.md, "Limits").
  public static let maximumInterruptions = 2_000_000

  public init(_ program: Program) {
    self.program = program
  }

  /// Every phase on each of its allowed pools at its own GPUs.
  ///
  /// - Throws: the first phase that cannot be planned, with its name and pool.
  public func plan() throws(PlanError) -> ProgramPlan {
    var plans: [[PhasePlan]] = []
    for (index, phase) in program.phases.enumerated() {
      var row: [PhasePlan] = []
      for pool in phase.poolIndices {
        do {
          row.append(try plan(phase: index, pool: pool))
        } catch {
          var located = error
          located.phase = phase.name
          located.pool = program.pools[pool].name
          throw located
        }
      }
      plans.append(row)
    }
    return ProgramPlan(program: program, phases: plans)
  }

  /// Phase `index` on pool `pool` (any pool, allowed or not) at `gpus` GPUs (default: the
  /// phase's own).
  public func plan(phase index: Int, pool poolIndex: Int, gpus: Int? = nil) throws(PlanError)
    -> PhasePlan
  {
    let phase = program.phases[index]
    let pool = program.pools[poolIndex]
    let gpus = gpus ?? phase.gpus
    guard gpus <= pool.schedulableGPUs else {
      throw PlanError(
        key: "gpus", "\(gpus) GPUs requested but pool \"\(pool.name)\" has \(pool.schedulableGPUs)",
        kind: .poolTooSmall)
    }
    var training: PhasePlan.TrainedStep?
    var rollouts: RolloutPlan?
    var generation: GenerationPlan?
    let workHours: Double
    switch phase.work {
    case .gpuHours(let gpuHours):
      workHours = gpuHours / Double(gpus)
    case .hours(let hours):
      workHours = hours
    case .tokens(let tokens, let activeParams, let mfu):
      guard let peak = pool.chip.peakFLOPS(phase.precision) else {
        throw Self.noPeak(pool, phase.precision)
      }
      let flops = WorkEstimate.trainingFLOPs(tokens: tokens, activeParams: activeParams)
      workHours = flops / (Double(gpus) * peak * mfu) / 3600
    case .training(let spec):
      let step = try trainedStep(spec, precision: phase.precision, pool: pool, gpus: gpus)
      training = step
      workHours = spec.steps * step.estimate.stepSeconds / 3600
    case .rl(let spec):
      let plan = try RolloutPlanner(spec: spec, precision: phase.precision, pool: pool, gpus: gpus)
        .plan(planner: self)
      rollouts = plan
      training = plan.update
      workHours = plan.expected.totalSeconds / 3600
    case .generate(let spec):
      let plan = try GeneratePlanner(spec: spec, precision: phase.precision, pool: pool, gpus: gpus)
        .plan()
      generation = plan
      workHours = plan.totalSeconds / 3600
    }
    guard workHours <= Phase.maximumHours else {
      throw PlanError(
        key: "work",
        "the work takes \(ConfigValue.format(workHours)) hours on \(gpus) GPUs, more than the "
          + "\(ConfigValue.format(Phase.maximumHours)) hours (114 years) a phase may last; "
          + "check its size and units")
    }
    let nodes = Phase.nodes(gpus: gpus, gpusPerNode: pool.gpusPerNode)
    let mtbf = pool.failures.mtbfHours(nodes: nodes)
    var checkpoint = phase.checkpoint
    if checkpoint.intervalIsAuto {
      checkpoint.intervalHours =
        mtbf.isFinite
        ? CheckpointMath.dalyIntervalHours(writeHours: checkpoint.writeHours, mtbfHours: mtbf)
        : nil
    }
    if let maintenance = pool.failures.maintenance {
      try Self.checkMaintenance(maintenance, checkpoint: checkpoint, workHours: workHours, pool: pool)
    }
    let expected = CheckpointMath.expectedWallHours(
      workHours: workHours, policy: checkpoint, mtbfHours: mtbf)
    guard !mtbf.isFinite || expected <= Phase.maximumHours else {
      throw Self.hopeless(mtbfHours: mtbf, checkpoint: checkpoint, expectedHours: expected)
    }
    // Each interruption is a handful of events (failure, repair, restart, resume): past this many
    // one replication would take minutes, so the phase is refused with the count.
    let interruptions = mtbf.isFinite ? expected / mtbf : 0
    guard interruptions <= Double(Self.maximumInterruptions) else {
      throw PlanError(
        key: "gpus",
        "its \(TextTable.grouped(Double(nodes), decimals: 0)) nodes are expected to be interrupted "
          + "\(String(format: "%.3g", interruptions)) times in one replication (an interruption every "
          + "\(String(format: "%.3g", mtbf * 60)) minutes for \(String(format: "%.3g", expected)) h), more than "
          + "the \(TextTable.grouped(Double(Self.maximumInterruptions), decimals: 0)) a replication may "
          + "simulate; run on fewer nodes or shorten the phase")
    }
    var plan = PhasePlan(
      phase: index, pool: poolIndex, gpus: gpus, nodes: nodes, workHours: workHours,
      training: training, checkpoint: checkpoint, mtbfHours: mtbf, expectedWallHours: expected)
    plan.rollouts = rollouts
    plan.generation = generation
    // Waiting for repairs: a phase that would wait nearly all the time never ends.
    let waiting = ProgramPlan.repairWaitShare(plan, pool, spares: nil)
    if waiting > 0, expected / max(1e-300, 1 - waiting) > Phase.maximumHours {
      let spares = ProgramPlan.sparesCuttingWait(plan, pool)
      throw PlanError(
        key: "gpus",
        "its \(TextTable.grouped(Double(nodes), decimals: 0)) nodes of pool \"\(pool.name)\" "
          + "(\(TextTable.grouped(Double(pool.totalNodes), decimals: 0)) with spares) are expected to be up together "
          + "\(String(format: "%.2g", 1 - waiting)) of the time, with failed nodes in repair, so "
          + "the phase would take more than the \(TextTable.grouped(Phase.maximumHours, decimals: 0)) "
          + "hours a phase may last; "
          + (spares.map { "give the pool spare_nodes: \($0), or run on fewer nodes" }
            ?? "run on fewer nodes"))
    }
    return plan
  }

  /// The layout and step of a training phase: the fixed layout's, or the fastest the search
  /// finds.
  func trainedStep(_ spec: TrainingSpec, precision: Precision, pool: Pool, gpus: Int)
    throws(PlanError) -> PhasePlan.TrainedStep
  {
    let layout: ParallelLayout?
    do {
      layout = try spec.layout.fixed(gpus: gpus, globalBatch: spec.globalBatch)
    } catch where error.kind == .gpusDoNotDivide {
      var advised = error
      advised.message += LayoutAdvice(spec: spec, precision: precision, pool: pool, gpus: gpus)
        .forGPUsThatDoNotDivide()
      throw advised
    }
    if let layout {
      let job = spec.job(layout: layout, precision: precision)
      do {
        let estimate = try StepTimeModel(job: job, chip: pool.chip, gpusPerNode: pool.gpusPerNode)
          .estimate()
        return PhasePlan.TrainedStep(job: job, estimate: estimate, layoutsSearched: 1)
      } catch {
        var planError = PlanError(error, chip: pool.chip)
        if planError.kind == .memory {
          planError.message +=
            LayoutAdvice(spec: spec, precision: precision, pool: pool, gpus: gpus)
            .forMemory(layout)
        }
        throw planError
      }
    }
    guard pool.chip.peakFLOPS(precision) != nil else { throw Self.noPeak(pool, precision) }
    if let error = StepTimeModel.headroomError(spec.layout.memoryHeadroomGB, chip: pool.chip) {
      throw PlanError(error, chip: pool.chip)
    }
    let key = SearchCache.Key(
      spec: spec, precision: precision, chip: pool.chip, gpusPerNode: pool.gpusPerNode,
      gpus: gpus)
    do {
      return try SearchCache.shared.step(for: key) { () throws(PlanError) in
        try Self.searchedStep(key)
      }
    } catch where error.kind == .noLayout {
      var advised = error
      advised.message += LayoutAdvice(spec: spec, precision: precision, pool: pool, gpus: gpus)
        .forNoLayout()
      throw advised
    }
  }

  /// The fastest layout the search finds for `key`'s phase, chip and GPUs.
  static func searchedStep(_ key: SearchCache.Key) throws(PlanError) -> PhasePlan.TrainedStep {
    let search = LayoutSearch(
      spec: key.spec, precision: key.precision, chip: key.chip, gpusPerNode: key.gpusPerNode,
      gpus: key.gpus)
    let result = search.run(keep: 1)
    guard let best = result.ranked.first else {
      throw PlanError(
        key: "parallelism",
        result.noLayoutMessage(
          gpus: key.gpus, chip: key.chip, fixed: key.spec.layout.fixedKeys,
          headroomGB: key.spec.layout.memoryHeadroomGB),
        kind: .noLayout)
    }
    return PhasePlan.TrainedStep(
      job: best.job, estimate: best.estimate, layoutsSearched: result.searched)
  }

  /// Planned maintenance stops the whole pool every `every` hours for `duration`; the phase
  /// checkpoints first, so no work is lost, but each stop costs a restart. The phase progresses
  /// only if a restart fits in the window between stops, and the stops must stay within what one
  /// replication may simulate.
  static func checkMaintenance(
    _ maintenance: Maintenance, checkpoint: CheckpointPolicy, workHours: Double, pool: Pool
  ) throws(PlanError) {
    let window = maintenance.everyHours - maintenance.durationHours
    let recovery = checkpoint.recoveryHours
    let every = ConfigValue.format(maintenance.everyHours)
    guard recovery < window else {
      throw PlanError(
        key: "restart_minutes",
        "pool \"\(pool.name)\" stops for maintenance every \(every) h, leaving "
          + "\(String(format: "%.4g", window)) h between stops, but each restart takes "
          + "\(String(format: "%.4g", recovery)) h (restart and restore), so the phase would never "
          + "progress; restart faster or space the maintenance out")
    }
    let stops = workHours / (window - recovery)
    guard stops <= Double(maximumInterruptions) else {
      throw PlanError(
        key: "hours",
        "pool \"\(pool.name)\" stops for maintenance every \(every) h: the phase would be stopped "
          + "\(String(format: "%.3g", stops)) times in one replication, more than the "
          + "\(TextTable.grouped(Double(maximumInterruptions), decimals: 0)) a replication may "
          + "simulate; space the maintenance out or shorten the phase")
    }
  }

  static func noPeak(_ pool: Pool, _ precision: Precision) -> PlanError {
    let have = pool.chip.precisions.map(\.name).joined(separator: ", ")
    return PlanError(
      key: "precision",
      "chip \(pool.chip.name) of pool \"\(pool.name)\" has no \(precision.peakName) "
        + "(it has: \(have))")
  }

  static func hopeless(mtbfHours mtbf: Double, checkpoint: CheckpointPolicy, expectedHours: Double)
    -> PlanError
  {
    let plan =
      checkpoint.intervalHours.map { "checkpoints every \(ConfigValue.format($0)) h" }
      ?? "no checkpoints"
    let duration =
      expectedHours.isFinite
      ? "\(String(format: "%.3g", expectedHours)) hours" : "longer than any bound"
    return PlanError(
      key: "checkpoint",
      "with an interruption every \(String(format: "%.3g", mtbf)) h on its nodes and \(plan), "
        + "the phase is expected to take \(duration), more than the "
        + "\(TextTable.grouped(Phase.maximumHours, decimals: 0)) hours a phase may last; "
        + "checkpoint (more often) or run on fewer nodes")
  }
}
