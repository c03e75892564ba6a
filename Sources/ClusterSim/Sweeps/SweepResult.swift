/// What a sweep found: each point's figures (or why it cannot run), and the fastest, the
/// cheapest and the Pareto-optimal points in (wall-clock, cost).
public struct SweepResult: Sendable {
  public var file: String
  public var phase: String?
  /// The `--set` keys, in order (each point's `values` follow them).
  public var axes: [String]
  public var points: [PointResult]

  /// The figures of one point: the swept phase's (or, with no phase, the program's totals).
  public struct Measures: Sendable, Hashable {
    public var wallClockHours: Statistic
    public var gpuHours: Statistic
    public var costUSD: Statistic
    /// Goodput and interruptions of the phase (nil for program totals).
    public var goodput: Double?
    public var interruptions: Double?
    /// The phase's layout and MFU on its first pool, when it is described by its model.
    public var layout: String?
    public var mfu: Double?
    public var replications: Int
  }

  public enum Outcome: Sendable, Hashable {
    case feasible(Measures)
    case infeasible(String)
  }

  public struct PointResult: Sendable, Hashable {
    public var point: Sweep.Point
    /// What the sweep changed besides the point's values (a pool grown to fit).
    public var notes: [String]
    public var outcome: Outcome

    public var measures: Measures? {
      if case .feasible(let measures) = outcome { return measures }
      return nil
    }
  }

  /// The point with the least mean wall-clock time (the first of equals).
  public var fastest: Int? {
    feasible.min { points[$0].measures!.wallClockHours.mean < points[$1].measures!.wallClockHours.mean }
  }

  /// The point with the least mean cost (the first of equals).
  public var cheapest: Int? {
    feasible.min { points[$0].measures!.costUSD.mean < points[$1].measures!.costUSD.mean }
  }

  /// Points no other point beats on both mean wall-clock and mean cost (at least as good on
  /// both and better on one).
  public var pareto: [Int] {
    let candidates = feasible
    return candidates.filter { i in
      let a = points[i].measures!
      return !candidates.contains { j in
        let b = points[j].measures!
        let noWorse =
          b.wallClockHours.mean <= a.wallClockHours.mean && b.costUSD.mean <= a.costUSD.mean
        let better =
          b.wallClockHours.mean < a.wallClockHours.mean || b.costUSD.mean < a.costUSD.mean
        return noWorse && better
      }
    }
  }

  var feasible: [Int] { points.indices.filter { points[$0].measures != nil } }
}

extension SweepResult.Measures {
  /// The figures of `phase` in `result` (or, with no phase, the program's totals).
  init(_ result: SimulationResult, phase: String?) {
    replications = result.replications
    if let phase, let index = result.program.phases.firstIndex(where: { $0.name == phase }) {
      let summary = result.phases[index]
      wallClockHours = summary.wallClockHours
      gpuHours = summary.gpuHours
      costUSD = summary.costUSD
      goodput = summary.goodput.mean
      interruptions = summary.interruptions.mean
      if let step = result.plan.phases[index].first?.training {
        layout = LayoutText.short(step.job.layout, microbatch: step.estimate.microbatch)
        mfu = step.estimate.mfu
      }
    } else {
      wallClockHours = result.total.wallClockHours
      gpuHours = result.total.gpuHours
      costUSD = result.total.costUSD
    }
  }
}
