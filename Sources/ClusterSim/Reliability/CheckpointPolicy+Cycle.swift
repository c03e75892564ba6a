/// The checkpoint cycle of a phase: compute for `intervalHours` (τ), write for `writeHours` (δ),
/// repeat; the last segment has no write after it (`docs/model.md`, "Failures and checkpoints").
/// The scheduler, the timeline and the closed form all cut time with these functions.
extension CheckpointPolicy {
  /// Full intervals of a run of `computeHours` that are each followed by a write: ⌈c/τ⌉ − 1, or
  /// 0 when the phase does not checkpoint or the run fits in one interval.
  public func writesAfter(computeHours c: Double) -> Double {
    guard let τ = intervalHours, τ > 0, c > τ else { return 0 }
    return (c / τ).rounded(.up) - 1
  }

  /// Hours of checkpoint writes between the segments of `computeHours` of compute.
  public func writeHours(computeHours c: Double) -> Double {
    writesAfter(computeHours: c) * writeHours
  }

  /// How `elapsedHours` since an attempt began split when it stops: completed cycles (their
  /// compute saved), checkpoint writes (an interrupted write included), and the compute since the
  /// last completed checkpoint, lost on a failure or saved when the stop is planned (the phase
  /// checkpoints first).
  public func split(elapsedHours elapsed: Double, planned: Bool) -> (
    keptHours: Double, lostHours: Double, writingHours: Double
  ) {
    var kept = 0.0
    var lost = 0.0
    var writing = 0.0
    if let interval = intervalHours {
      let cycle = interval + writeHours
      if cycle > 0 {
        let cycles = (elapsed / cycle).rounded(.down)
        let rest = elapsed - cycles * cycle
        kept = cycles * interval
        writing = cycles * writeHours
        if rest > interval {
          writing += rest - interval
          if planned { kept += interval } else { lost = interval }
        } else {
          if planned { kept += rest } else { lost = rest }
        }
      } else {
        kept = elapsed  // continuous, free checkpoints
      }
    } else if planned {
      kept = elapsed
    } else {
      lost = elapsed
    }
    return (kept, lost, writing)
  }

  /// The compute and write slices of an attempt from `startHours` to `endHours`, in order.
  public func slices(fromHours start: Double, toHours end: Double) -> [(
    write: Bool, startHours: Double, endHours: Double
  )] {
    var slices: [(write: Bool, startHours: Double, endHours: Double)] = []
    var t = start
    while t < end {
      let computeEnd = min(end, intervalHours.map { $0 > 0 ? t + $0 : end } ?? end)
      slices.append((false, t, computeEnd))
      guard computeEnd < end, writeHours > 0 else {
        t = computeEnd
        continue
      }
      let writeEnd = min(end, computeEnd + writeHours)
      slices.append((true, computeEnd, writeEnd))
      t = writeEnd
    }
    return slices
  }
}
