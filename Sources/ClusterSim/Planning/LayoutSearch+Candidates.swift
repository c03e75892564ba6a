/// The candidate layouts of a search, generated key by key so that a key that cannot work
/// (tp that does not divide the heads, pp beyond the layers, cp that does not divide the
/// sequence, dp that does not divide the batch) is rejected once for everything below it.
extension LayoutSearch {
  /// Calls `body` with every candidate whose tp, pp, cp, dp and ep can work, and counts the
  /// others in `rejected`.
  func forEachCandidate(
    _ tally: inout Tally, _ body: (ParallelLayout, inout Tally) -> Void
  ) {
    let given = spec.layout
    let model = spec.model
    let tpLimit =
      given.tensorAcrossNodes ? gpus : min(gpus, chip.nvlinkGPUs(gpusPerNode: gpusPerNode))
    let tps = given.tensor.map { [$0] } ?? StepTimeModel.divisors(of: gpus).filter { $0 <= tpLimit }
    for tp in tps {
      if gpus % tp != 0 {
        tally.reject(.gpus)
        continue
      }
      if model.heads % tp != 0 || model.kvHeads % tp != 0 {
        tally.reject(.heads)
        continue
      }
      let pps = given.pipeline.map { [$0] } ?? StepTimeModel.divisors(of: gpus / tp)
      for pp in pps {
        if (gpus / tp) % pp != 0 {
          tally.reject(.gpus)
          continue
        }
        if pp > model.layers {
          tally.reject(.layers)
          continue
        }
        let rest = gpus / (tp * pp)
        let cps = given.context.map { [$0] } ?? StepTimeModel.divisors(of: rest)
        for cp in cps {
          if rest % cp != 0 {
            tally.reject(.gpus)
            continue
          }
          let dp = rest / cp
          if let data = given.data, data != dp {
            tally.reject(.gpus)
            continue
          }
          if spec.seqLen % cp != 0 || spec.globalBatch % dp != 0 {
            tally.reject(spec.seqLen % cp != 0 ? .sequence : .batch)
            continue
          }
          for ep in expertCandidates(dp: dp, cp: cp) {
            for (schedule, v) in schedules(pipeline: pp) {
              let chunks = pp * (schedule == .interleaved ? v : 1)
              let even = model.layers % chunks == 0
              for uneven in given.unevenPipeline.map({ [$0] }) ?? [!even] {
                for zero in given.zero.map({ [$0] }) ?? Self.searchedZeroStages {
                  for sequenceParallel in given.sequenceParallel.map({ [$0] })
                    ?? (tp > 1 ? [true, false] : [false])
                  {
                    body(
                      ParallelLayout(
                        tensor: tp, pipeline: pp, context: cp, data: dp, expert: ep,
                        virtualStages: v, microbatch: given.microbatch, zero: zero,
                        recompute: given.recompute ?? .none, schedule: schedule,
                        sequenceParallel: sequenceParallel, unevenPipeline: uneven,
                        expertTensor: given.expertTensor), &tally)
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// The ZeRO stages a search prices: 1, 2 and 3. Stage 0 costs the same communication as 1 (an
  /// all-reduce is a reduce-scatter and an all-gather) and adds the optimizer over unsharded
  /// states, so 1 is never slower and never larger than 0 (`LayoutSearchTests` checks this
  /// against all four).
  static var searchedZeroStages: [Int] { [1, 2, 3] }

  /// Candidates counted, and the rejected ones by reason.
  struct Tally {
    var searched = 0
    var rejected: [Rejection: Int] = [:]

    mutating func reject(_ reason: Rejection) {
      searched += 1
      rejected[reason, default: 0] += 1
    }
  }

  /// ep: the given value, 1 for a dense model, else every divisor of gcd(dp·cp, routed experts).
  func expertCandidates(dp: Int, cp: Int) -> [Int] {
    if let ep = spec.layout.expert { return [ep] }
    guard spec.model.kind == .moe else { return [1] }
    return StepTimeModel.divisors(
      of: StepTimeModel.gcd(dp * cp, spec.model.routedExperts))
  }

  /// The schedules and virtual-stage counts to try at `pipeline` stages: one schedule at pp 1
  /// (there is no pipeline); else 1F1B, ZB-H1, DualPipe when pp is even, and interleaved 1F1B at
  /// every v ≥ 2 for which pp·v divides the layers (interleaving needs equal chunks).
  func schedules(pipeline pp: Int) -> [(PipelineSchedule, Int)] {
    let given = spec.layout
    let layers = spec.model.layers
    let interleavings = (2...max(2, layers / pp)).filter { layers % (pp * $0) == 0 }
    switch (given.schedule, given.virtualStages) {
    case (let schedule?, let v?):
      return [(schedule, v)]
    case (.interleaved?, nil):
      return interleavings.map { (.interleaved, $0) }
    case (let schedule?, nil):
      return [(schedule, 1)]
    case (nil, let v?) where v > 1:
      return [(.interleaved, v)]
    case (nil, _):
      guard pp > 1 else { return [(.oneFOneB, 1)] }
      var all: [(PipelineSchedule, Int)] = [(.oneFOneB, 1), (.zeroBubble, 1)]
      if pp % 2 == 0 { all.append((.dualPipe, 1)) }
      if given.virtualStages == nil { all += interleavings.map { (.interleaved, $0) } }
      return all
    }
  }
}
