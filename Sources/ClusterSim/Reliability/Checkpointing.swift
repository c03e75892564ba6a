import Foundation

/// How a phase checkpoints and restarts, resolved for its pool and size.
public struct CheckpointPolicy: Sendable, Hashable {
  /// Compute hours between checkpoints; nil means the phase never checkpoints (an interruption
  /// loses everything since its start).
  public var intervalHours: Double?
  /// Whether the interval is Daly's optimum for the phase's MTBF (`interval: auto`).
  public var intervalIsAuto: Bool
  /// Hours to write one checkpoint.
  public var writeHours: Double
  /// Hours to read the last checkpoint back after an interruption.
  public var restoreHours: Double
  /// Hours to detect a failure and replace or reset the nodes, before the restore.
  public var restartHours: Double

  public init(
    intervalHours: Double? = nil, intervalIsAuto: Bool = false, writeHours: Double = 0,
    restoreHours: Double = 0, restartHours: Double = 0
  ) {
    self.intervalHours = intervalHours
    self.intervalIsAuto = intervalIsAuto
    self.writeHours = writeHours
    self.restoreHours = restoreHours
    self.restartHours = restartHours
  }

  /// Detection and replacement after a failure when a phase gives no `restart_minutes`: 10
  /// minutes.
  public static let defaultRestartHours = 10.0 / 60

  /// No checkpoints, instant restarts.
  public static let none = CheckpointPolicy()

  /// The whole pause after an interruption: detect and replace, then restore (R).
  public var recoveryHours: Double { restartHours + restoreHours }
}

/// Checkpoint intervals and expected wall time under exponential interruptions
/// (`docs/model.md`, "Failures and checkpoints").
public enum CheckpointMath {
  /// Young (1974): τ ≈ √(2δM).
  public static func youngIntervalHours(writeHours δ: Double, mtbfHours m: Double) -> Double {
    (2 * δ * m).squareRoot()
  }

  /// Daly, "A higher order estimate of the optimum checkpoint interval for restart dumps" (FGCS
  /// 2006), eq. 37: τ = √(2δM)·[1 + ⅓√(δ/2M) + (1/9)(δ/2M)] − δ for δ < 2M, else τ = M.
  public static func dalyIntervalHours(writeHours δ: Double, mtbfHours m: Double) -> Double {
    guard δ < 2 * m else { return m }
    let x = δ / (2 * m)
    return (2 * δ * m).squareRoot() * (1 + x.squareRoot() / 3 + x / 9) - δ
  }

  /// Expected wall time of one segment of `hours` (compute plus its checkpoint write) under
  /// exponential interruptions of mean `mtbfHours`, each followed by a restart of `restartHours`
  /// that can itself be interrupted, the segment redone from its start: M·e^(R/M)·(e^(t/M) − 1).
  public static func expectedSegmentHours(
    _ hours: Double, restartHours r: Double, mtbfHours m: Double
  ) -> Double {
    guard m.isFinite else { return hours }
    return m * exp(r / m) * expm1(hours / m)
  }

  /// The segments a phase of `workHours` compute runs as: full intervals of compute followed by a
  /// write, and a last one (the remainder, or a full interval) with no write after it.
  public static func segments(workHours: Double, intervalHours τ: Double?, writeHours δ: Double)
    -> [Double]
  {
    guard let τ, τ > 0, workHours > τ else { return [workHours] }
    let plan = CheckpointPolicy(intervalHours: τ, writeHours: δ)
    let full = plan.writesAfter(computeHours: workHours)
    let last = workHours - full * τ
    return [Double](repeating: τ + δ, count: Int(full)) + [last]
  }

  /// Expected wall time of `workHours` of compute under `policy` at exponential interruptions of
  /// mean `mtbfHours`: the sum of `expectedSegmentHours` over `segments`, computed from the
  /// segment counts (the plan may have millions of segments).
  public static func expectedWallHours(
    workHours: Double, policy: CheckpointPolicy, mtbfHours: Double
  ) -> Double {
    let r = policy.recoveryHours
    guard let τ = policy.intervalHours, τ > 0, workHours > τ else {
      if let τ = policy.intervalHours, τ == 0, policy.writeHours == 0 {
        return workHours  // continuous, free checkpoints: nothing is ever lost
      }
      return expectedSegmentHours(workHours, restartHours: r, mtbfHours: mtbfHours)
    }
    let full = policy.writesAfter(computeHours: workHours)
    let last = workHours - full * τ
    return full * expectedSegmentHours(τ + policy.writeHours, restartHours: r, mtbfHours: mtbfHours)
      + expectedSegmentHours(last, restartHours: r, mtbfHours: mtbfHours)
  }
}
