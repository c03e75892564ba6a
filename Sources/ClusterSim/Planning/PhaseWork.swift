import SimKernel

/// How long a planned phase computes with nothing interrupting it, for one replication: its
/// planned hours, or, for a phase whose work is random (reinforcement learning, whose generated
/// lengths are drawn), a draw from the phase's own random stream.
///
/// Each phase draws from a stream of its own, keyed by the seed, the replication and the phase,
/// so a random phase never shifts the failure draws of the rest of the program, and replication
/// `i` draws the same hours whichever thread runs it.
public struct PhaseWork: Sendable, Hashable {
  /// The planned (expected) hours.
  public var hours: Double
  /// An RL phase's rollouts: each replication draws their longest samples.
  public var rollouts: RolloutPlan?

  public init(hours: Double, rollouts: RolloutPlan? = nil) {
    self.hours = hours
    self.rollouts = rollouts
  }

  /// The hours of replication `replication` of a run seeded with `seed`, for phase `phase`.
  public func hours(seed: UInt64, replication: Int, phase: Int) -> Double {
    guard let rollouts else { return hours }
    var stream = RandomStream(
      seed: seed, replication: UInt64(replication), substream: UInt64(phase) + 1)
    return rollouts.drawSeconds(&stream) / 3600
  }
}
