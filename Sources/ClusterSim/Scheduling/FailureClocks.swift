import Foundation
import SimKernel

/// How a replication draws its pools' failures.
///
/// - `pooled` (the default): a pool whose every component is exponential has one clock for all
///   its nodes, the superposition of their processes; other pools have a clock per node and
///   component.
/// - `perNode`: every pool has a clock per node and component, as the model is stated. Tests
///   hold the pooled clocks to it.
///
/// Why pooling is exact (`docs/model.md`, "How failures are drawn"): the up nodes of a pool fail
/// independently, component c of each at rate λ_c, with exponential (memoryless) times; the first
/// of U·C independent exponential clocks comes after an exponential time of rate U·Σλ_c, it is
/// any given up node's with probability 1/U and component c's with probability λ_c/Σλ, and every
/// other clock's remaining time is again exponential of its rate, whatever has happened. So one
/// clock of rate U·Σλ, a uniformly chosen up node and a component chosen by rate, redrawn whenever
/// a failure fires or U changes (a node goes down or comes back), give the same process.
public enum FailureClocks: Sendable, Hashable {
  case pooled
  case perNode
}

/// One pool's failures drawn as one superposed process: per-node rates of its components,
/// summed and cumulated so a failure's component is found with one uniform draw.
struct PooledFailures: Sendable {
  /// Failures per node-hour of each component, cumulated (the last entry is the node's rate).
  let cumulativeRatePerNodeHour: [Double]

  /// The pooled process of `model`'s components, or nil if one of them is not exponential (its
  /// nodes then keep a clock each) or none can fail.
  init?(_ model: FailureModel) {
    guard model.hasFailures else { return nil }
    var total = 0.0
    var cumulative: [Double] = []
    for component in model.components {
      guard case .exponential = component.timeToFailure else { return nil }
      total += component.ratePerNodeHour
      cumulative.append(total)
    }
    cumulativeRatePerNodeHour = cumulative
  }

  var ratePerNodeHour: Double { cumulativeRatePerNodeHour[cumulativeRatePerNodeHour.count - 1] }

  /// Hours to the next failure of `upNodes` nodes failing at `ratePerNodeHour` each: exponential
  /// of rate upNodes · rate (infinite with none up).
  static func hoursToNextFailure(
    upNodes: Int, ratePerNodeHour: Double, _ stream: inout RandomStream
  ) -> Double {
    guard upNodes > 0 else { return .infinity }
    return -log(stream.nextOpenUnitInterval()) / (Double(upNodes) * ratePerNodeHour)
  }

  /// The component of a failure: c with probability λ_c / Σλ (no draw with one component).
  func component(_ stream: inout RandomStream) -> Int {
    let count = cumulativeRatePerNodeHour.count
    guard count > 1 else { return 0 }
    let target = stream.nextUnitInterval() * ratePerNodeHour
    for component in 0..<(count - 1) where target < cumulativeRatePerNodeHour[component] {
      return component
    }
    return count - 1
  }
}
