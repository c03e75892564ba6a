import Foundation

/// What to propose when a fixed layout cannot run: GPU counts and layouts that do fit, from the
/// search, within the phase's GPUs and whole nodes of its pool; for memory, the single changes
/// that would bring it under the chip's memory and by how much.
struct LayoutAdvice {
  let spec: TrainingSpec
  let precision: Precision
  let pool: Pool
  let gpus: Int

  /// The fastest layouts on `gpus` GPUs with the keys in `free` searched (and recomputation too
  /// when `recompute`), the rest as given.
  func search(
    freeing free: [WritableKeyPath<LayoutSpec, Int?>], recompute: Bool = false, keep: Int
  ) -> LayoutSearch.Result {
    var searched = spec
    for key in free { searched.layout[keyPath: key] = nil }
    if recompute {
      searched.layout.recompute = nil
      searched.layout.sequenceParallel = nil
    }
    return LayoutSearch(
      spec: searched, precision: precision, chip: pool.chip, gpusPerNode: pool.gpusPerNode,
      gpus: gpus
    ).run(keep: keep)
  }

  static func describe(_ candidates: [LayoutSearch.Candidate]) -> String {
    candidates.map {
      "\(LayoutText.short($0.layout, microbatch: $0.estimate.microbatch)) "
        + "(\(String(format: "%.3f", $0.estimate.stepSeconds)) s per step)"
    }.joined(separator: "; ")
  }

  /// tp·pp·cp does not divide the GPUs: the nearest GPU counts on whole nodes of the pool that it
  /// divides, and the fastest tp, pp, cp that divide the phase's GPUs.
  func forGPUsThatDoNotDivide() -> String {
    let model = (spec.layout.tensor ?? 1) * (spec.layout.pipeline ?? 1) * (spec.layout.context ?? 1)
    let step = model / StepTimeModel.gcd(model, pool.gpusPerNode) * pool.gpusPerNode
    // The nearest counts below and above, on whole nodes that tp·pp·cp divides, at which the
    // layout also runs (dp divides the batch, it fits in memory), within the pool.
    let below = stride(from: gpus / step * step, through: step, by: -step).prefix(64)
      .first(where: runs)
    let above = stride(from: (gpus / step + 1) * step, through: pool.schedulableGPUs, by: step)
      .prefix(64).first(where: runs)
    let counts = [below, above].compactMap { $0 }
    var advice: [String] = []
    if !counts.isEmpty {
      advice.append(
        "use \(counts.map(String.init).joined(separator: " or ")) GPUs (whole nodes of pool "
          + "\"\(pool.name)\" at which the layout runs)")
    }
    let found = search(freeing: [\.tensor, \.pipeline, \.context], keep: 3).ranked
    if !found.isEmpty {
      advice.append("keep \(gpus) GPUs with one of: \(Self.describe(found))")
    } else {
      advice.append("change tp, pp or cp")
    }
    return "; " + advice.joined(separator: ", or ")
  }

  /// The step of the spec with `layout` on the pool, or nil when the layout cannot run there.
  func step(_ layout: ParallelLayout) -> StepEstimate? {
    let job = spec.job(layout: layout, precision: precision)
    return try? StepTimeModel(job: job, chip: pool.chip, gpusPerNode: pool.gpusPerNode).estimate()
  }

  /// Whether the spec's layout runs on `count` GPUs of the pool.
  func runs(_ count: Int) -> Bool {
    guard let layout = try? spec.layout.fixed(gpus: count) else { return false }
    return step(layout) != nil
  }

  /// The layout does not fit in memory: the single changes that fit (more ZeRO sharding, more
  /// recomputation), each with the memory it needs; otherwise the fastest layouts on these GPUs
  /// that fit (tp, pp, cp, ep, ZeRO and recomputation searched).
  func forMemory(_ layout: ParallelLayout) -> String {
    let hbm = StepTimeModel.usableHBMBytes(pool.chip, headroomGB: spec.layout.memoryHeadroomGB)
    var changes: [(String, ParallelLayout)] = []
    for zero in (layout.zero + 1)..<4 {
      var changed = layout
      changed.zero = zero
      changes.append(("zero \(zero)", changed))
    }
    // The searched policies that save more than the layout's; past a module list or
    // `full_layers`, only full recomputation does for certain.
    let stronger =
      Recompute.allCases.firstIndex(of: layout.recompute).map { Recompute.allCases[($0 + 1)...] }
      ?? [.full]
    for recompute in stronger {
      var changed = layout
      changed.recompute = recompute
      changes.append(("recompute \(recompute.name)", changed))
    }
    let fits = changes.compactMap { label, changed -> String? in
      guard let estimate = step(changed), estimate.memory.totalBytes <= hbm else { return nil }
      return "\(label) (\(String(format: "%.1f", estimate.memory.totalBytes / 1e9)) GB)"
    }
    if !fits.isEmpty { return "; fits with \(fits.joined(separator: " or "))" }
    let result = search(
      freeing: [\.tensor, \.pipeline, \.context, \.expert, \.zero], recompute: true, keep: 2)
    if !result.ranked.isEmpty {
      return
        "; no single change of zero or recompute fits; layouts of \(gpus) GPUs that do: "
        + Self.describe(result.ranked)
    }
    return "; no layout of \(gpus) GPUs fits (\(result.rejectionSummary)); give the phase more "
      + "GPUs or a chip with more memory"
  }

  /// GPU counts tried on each side of the phase's when no layout of its GPUs works: each try is
  /// one search, so the advice stays a fraction of a second.
  static let nearestTries = 12

  /// No layout of the phase's GPUs works: the nearest GPU counts below and above, on whole nodes
  /// of the pool, at which the search (the same keys searched) finds one.
  func forNoLayout() -> String {
    let node = pool.gpusPerNode
    let below = stride(from: (gpus - 1) / node * node, through: node, by: -node)
      .prefix(Self.nearestTries).first(where: searchFinds)
    let above = stride(from: (gpus / node + 1) * node, through: pool.schedulableGPUs, by: node)
      .prefix(Self.nearestTries).first(where: searchFinds)
    let counts = [below, above].compactMap { $0 }
    guard !counts.isEmpty else { return "" }
    let listed = counts.map { TextTable.grouped(Double($0), decimals: 0) }
    return "; the nearest GPU counts with a layout that works (whole nodes of pool "
      + "\"\(pool.name)\"): \(listed.joined(separator: " and "))"
  }

  /// Whether the search, with the spec's keys, finds a layout of `count` GPUs of the pool.
  func searchFinds(_ count: Int) -> Bool {
    count > 0
      && !LayoutSearch(
        spec: spec, precision: precision, chip: pool.chip, gpusPerNode: pool.gpusPerNode,
        gpus: count
      ).run(keep: 1).ranked.isEmpty
  }
}
