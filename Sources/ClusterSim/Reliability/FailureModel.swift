import Foundation
import SimKernel

/// One way a node fails: how often, with what time-to-failure law, how long the repair takes and
/// whether the node leaves service for it.
public struct FailureComponent: Sendable, Hashable {
  public var name: String
  /// A grouping for reports (`gpu`, `host`, `network`, ...).
  public var category: String
  /// Mean failures per node-hour while the node is in service.
  public var ratePerNodeHour: Double
  /// Weibull shape of the time to failure; 1 is exponential.
  public var shape: Double
  /// Time to repair, in hours, for failures that take the node down.
  public var repair: Distribution
  /// Whether the node leaves service until repaired; if not (a software fault), the phase
  /// restarts on the same nodes.
  public var takesNodeDown: Bool

  public init(
    name: String, category: String = "other", ratePerNodeHour: Double, shape: Double = 1,
    repair: Distribution = .fixed(0), takesNodeDown: Bool = true
  ) {
    self.name = name
    self.category = category
    self.ratePerNodeHour = ratePerNodeHour
    self.shape = shape
    self.repair = repair
    self.takesNodeDown = takesNodeDown
  }

  /// Time to the next failure from a node's (re)entry into service, with mean 1/rate: exponential,
  /// or Weibull with scale (1/rate)/Γ(1 + 1/k).
  public var timeToFailure: Distribution {
    let mean = 1 / ratePerNodeHour
    if shape == 1 { return .exponential(mean: mean) }
    return .weibull(shape: shape, scale: mean / tgamma(1 + 1 / shape))
  }
}

/// Planned interruptions of a whole pool: every `everyHours`, running phases checkpoint and pause
/// for `durationHours`, then restart.
public struct Maintenance: Sendable, Hashable {
  public var everyHours: Double
  public var durationHours: Double

  public init(everyHours: Double, durationHours: Double) {
    self.everyHours = everyHours
    self.durationHours = durationHours
  }
}

/// How a pool's nodes fail: independent components per node, and optional planned maintenance.
public struct FailureModel: Sendable, Hashable {
  public var components: [FailureComponent]
  public var maintenance: Maintenance?

  public init(components: [FailureComponent] = [], maintenance: Maintenance? = nil) {
    self.components = components
    self.maintenance = maintenance
  }

  /// No failures, no maintenance.
  public static let none = FailureModel()

  /// Whether any node can ever fail.
  public var hasFailures: Bool { components.contains { $0.ratePerNodeHour > 0 } }

  /// Mean interruptions per node-hour from every component.
  public var ratePerNodeHour: Double { components.reduce(0) { $0 + $1.ratePerNodeHour } }

  /// Mean time between interruptions of a job on `nodes` nodes, in hours: 1/(nodes · rate)
  /// (infinite without failures).
  public func mtbfHours(nodes: Int) -> Double {
    let rate = Double(nodes) * ratePerNodeHour
    return rate > 0 ? 1 / rate : .infinity
  }
}
