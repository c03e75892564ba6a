import Foundation
import SimKernel

/// Warnings, once per pool, that a phase will spend a large share of its time waiting for failed
/// nodes to come back from repair, with the spares that would cut the wait
/// (`docs/scheduling.md`, "Spares").
///
/// Every node of a pool, busy, idle or spare, is up for 1/λ hours on average (λ the rate of the
/// components that take a node down) and then in repair for R, so at any moment it is down with
/// probability q = λR/(1 + λR), independently of the others (an alternating renewal process).
/// A phase of n nodes on a pool of T nodes (spares included) can run only while at most T − n are
/// down, so the share of its time it waits for repairs is about P(Binomial(T, q) > T − n), if no
/// other phase takes the pool's free nodes.
extension ProgramPlan {
  /// A share of time waiting for repairs above which a pool is warned about.
  public static let repairWaitWarningShare = 0.05
  /// The share the proposed spares bring the wait under.
  public static let repairWaitTargetShare = 0.01

  /// One line per pool whose worst phase would wait for repairs at least
  /// `repairWaitWarningShare` of its time (or 1% with no spares at all).
  public var repairWarnings: [String] {
    program.pools.indices.compactMap { pool in
      let plans = phases.flatMap { $0 }.filter { $0.pool == pool }
      guard
        let worst = plans.map({ ($0, Self.repairWaitShare($0, program.pools[pool], spares: nil)) })
          .max(by: { $0.1 < $1.1 })
      else { return nil }
      let (plan, share) = worst
      let spec = program.pools[pool]
      let threshold = spec.spareNodes == 0 ? Self.repairWaitTargetShare : Self.repairWaitWarningShare
      guard share >= threshold else { return nil }
      let needed = (spec.spareNodes...(spec.spareNodes + 10_000)).first {
        Self.repairWaitShare(plan, spec, spares: $0) < Self.repairWaitTargetShare
      }
      let spares = spec.spareNodes == 0 ? "no spares" : "\(spec.spareNodes) spares"
      return
        "pool \"\(spec.name)\": phase \"\(program.phases[plan.phase].name)\" is expected to wait "
        + "for repairs about \(String(format: "%.0f%%", 100 * share)) of its time on \(plan.nodes) "
        + "nodes with \(spares)"
        + (needed.map { "; spare_nodes: \($0) would cut that below 1%" } ?? "")
    }
  }

  /// The expected share of `plan`'s time spent waiting for repairs with `spares` spares
  /// (default: the pool's), by the estimate of the type's comment.
  static func repairWaitShare(_ plan: PhasePlan, _ pool: Pool, spares: Int?) -> Double {
    let down = pool.failures.components.filter { $0.takesNodeDown && $0.ratePerNodeHour > 0 }
    let rate = down.reduce(0) { $0 + $1.ratePerNodeHour }
    guard rate > 0 else { return 0 }
    let repairHours = down.reduce(0) { $0 + $1.ratePerNodeHour * $1.repair.mean } / rate
    let q = rate * repairHours / (1 + rate * repairHours)
    let total = pool.nodes + (spares ?? pool.spareNodes)
    return binomialTail(trials: total, probability: q, above: total - plan.nodes)
  }

  /// P(X > k) for X binomial with `trials` trials of success probability p, summed in logs.
  static func binomialTail(trials n: Int, probability p: Double, above k: Int) -> Double {
    guard k < n else { return 0 }
    guard k >= 0 else { return 1 }
    guard p > 0 else { return 0 }
    guard p < 1 else { return 1 }
    let mean = Double(n) * p
    let sd = (mean * (1 - p)).squareRoot()
    if Double(k) > mean + 40 * sd + 40 { return 0 }
    // log C(n, i) p^i (1 − p)^(n − i), from i = 0 up by the ratio of consecutive terms.
    var logTerm = Double(n) * log1p(-p)
    let logOdds = log(p) - log1p(-p)
    var below = exp(logTerm)
    for i in 0..<k {
      logTerm += log(Double(n - i) / Double(i + 1)) + logOdds
      below += exp(logTerm)
    }
    return max(0, 1 - below)
  }
}
