/// A config's `sweep:` block: the flags of `clustersim sweep`, so that `clustersim check` can run
/// the sweep and hold its choice to expectations (`sweep.cheapest.gpus == 2048`).
public struct SweepSettings: Sendable, Hashable {
  /// The phase whose GPUs `gpus` sets (`--phase`).
  public var phase: String?
  /// The GPU counts (`--gpus`).
  public var gpus: [Int]?
  /// The config values swept (`--set`), in order.
  public var axes: [SweepAxis]
  /// Replications per point (`--replications`; nil: the config's).
  public var replications: Int?

  public init(phase: String? = nil, gpus: [Int]? = nil, axes: [SweepAxis] = [], replications: Int? = nil) {
    self.phase = phase
    self.gpus = gpus
    self.axes = axes
    self.replications = replications
  }
}
