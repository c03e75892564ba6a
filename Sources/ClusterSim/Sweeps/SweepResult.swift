/// What a sweep found: each point's figures (or why it cannot run), and the fastest, the
/// cheapest and the Pareto-optimal points in (wall-clock, cost).
public struct SweepResult: Sendable {
  public var file: String
  public var phase: String?
  /// The `--set` keys, in order (each point's `values` follow them).
  public var axes: [String]
  public let points: [PointResult]
  /// The point with the least mean wall-clock time (the first of equals).
  public let fastest: Int?
  /// The point with the least mean cost (the first of equals).
  public let cheapest: Int?
  /// Points no other point beats on both mean wall-clock and mean cost (at least as good on
  /// both and better on one).
  public let pareto: [Int]

  public init(file: String, phase: String?, axes: [String], points: [PointResult]) {
    self.file = file
    self.phase = phase
    self.axes = axes
    self.points = points
    let feasible = points.indices.compactMap { index in
      points[index].measures.map { (index, $0.wallClockHours.mean, $0.costUSD.mean) }
    }
    fastest = feasible.min { $0.1 < $1.1 }?.0
    cheapest = feasible.min { $0.2 < $1.2 }?.0
    pareto = feasible.filter { a in
      !feasible.contains { b in
        b.1 <= a.1 && b.2 <= a.2 && (b.1 < a.1 || b.2 < a.2)
      }
    }.map(\.0)
  }

  /// The figures of one point: the swept phase's (or, with no phase, the program's totals).
  public struct Measures: Sendable, Hashable, Codable {
    public var wallClockHours: Statistic
    public var gpuHours: Statistic
    public var costUSD: Statistic
    /// Goodput and interruptions of the phase (nil for program totals, and where no pool the
    /// phase may run on has a failure model: nothing was modelled to interrupt it).
    public var goodput: Double?
    public var interruptions: Double?
    /// False when no pool the phase may run on has a failure model (nil for program totals).
    public var failuresModelled: Bool?
    /// The phase's layout and MFU on its first pool, when it is described by its model.
    public var layout: String?
    public var mfu: Double?
    public var replications: Int
  }

  public enum Outcome: Sendable, Hashable, Codable {
    case feasible(Measures)
    case infeasible(String)
  }

  public struct PointResult: Sendable, Hashable, Codable {
    public var point: Sweep.Point
    /// What the sweep changed besides the point's values (a pool grown to fit).
    public var notes: [String]
    public var outcome: Outcome

    public var measures: Measures? {
      if case .feasible(let measures) = outcome { return measures }
      return nil
    }
  }

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
      let pools = result.program.phases[index].poolIndices.map { result.program.pools[$0] }
      let modelled = pools.contains(where: \.hasFailureModel)
      failuresModelled = modelled
      goodput = modelled ? summary.goodput.mean : nil
      interruptions = modelled ? summary.interruptions.mean : nil
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
