import Foundation
import SimKernel

/// Warnings, once per pool, that a phase will spend a large share of its time waiting for failed
/// nodes to come back from repair, with the spares that would cut the wait
/// (`docs/scheduling.md`, "Spares").
///
/// Every node of a pool, busy, idle or spare, is up for 1/λ hours on average (λ the rate of the
/// components that take a node down) and then in repair for R, so in the long run it is down
/// with probability q = λR/(1 + λR), independently of the others (an alternating renewal
/// process). Every node starts up, so over a phase of H hours the average is smaller:
/// q·(1 − (1 − e^(−x))/x) with x = (λ + 1/R)·H (the exponential approach to the long-run value,
/// averaged over the run). A phase of n nodes on a pool of T nodes (spares included) can run only
/// while at most T − n are down, so the share of its time it waits for repairs is about
/// P(Binomial(T, q) > T − n), if no other phase takes the pool's free nodes.
extension ProgramPlan {
  /// A share of time waiting for repairs above which a pool is warned about.
  public static let repairWaitWarningShare = 0.05
  /// The share the proposed spares bring the wait under.
  public static let repairWaitTargetShare = 0.01

  /// One line per pool whose worst phase would wait for repairs at least
  /// `repairWaitWarningShare` of its time (or 1% with no spares at all), among the (phase, pool)
  /// pairs `ran` accepts (default: every plan).
  public func repairWarnings(ran: (_ phase: Int, _ pool: Int) -> Bool = { _, _ in true })
    -> [String]
  {
    program.pools.indices.compactMap { pool in
      let plans = phases.flatMap { $0 }.filter { $0.pool == pool && ran($0.phase, pool) }
      let spec = program.pools[pool]
      guard
        let (plan, share) = plans.map({ ($0, Self.repairWaitShare($0, spec, spares: nil)) })
          .max(by: { $0.1 < $1.1 })
      else { return nil }
      let threshold =
        spec.spareNodes == 0 ? Self.repairWaitTargetShare : Self.repairWaitWarningShare
      guard share >= threshold else { return nil }
      let spares = spec.spareNodes == 0 ? "no spares" : "\(spec.spareNodes) spares"
      let needed = Self.sparesCuttingWait(plan, spec)
      return
        "pool \"\(spec.name)\": phase \"\(program.phases[plan.phase].name)\" is expected to wait "
        + "for repairs about \(String(format: "%.0f%%", 100 * share)) of its time on "
        + "\(TextTable.grouped(Double(plan.nodes), decimals: 0)) nodes with \(spares)"
        + (needed.map { "; spare_nodes: \($0) would cut that below 1%" } ?? "")
    }
  }

  /// The fewest spares that bring `plan`'s wait under `repairWaitTargetShare`, by bisection (the
  /// wait falls as spares are added), or nil beyond 1,000,000.
  static func sparesCuttingWait(_ plan: PhasePlan, _ pool: Pool) -> Int? {
    func enough(_ spares: Int) -> Bool {
      repairWaitShare(plan, pool, spares: spares) < repairWaitTargetShare
    }
    var low = pool.spareNodes
    var high = max(1, low)
    while !enough(high) {
      guard high < 1_000_000 else { return nil }
      low = high
      high *= 2
    }
    if enough(low) { return low }
    while high - low > 1 {
      let middle = (low + high) / 2
      if enough(middle) { high = middle } else { low = middle }
    }
    return high
  }

  /// The expected share of `plan`'s time spent waiting for repairs with `spares` spares
  /// (default: the pool's), by the estimate of the type's comment.
  static func repairWaitShare(_ plan: PhasePlan, _ pool: Pool, spares: Int?) -> Double {
    let down = pool.failures.components.filter { $0.takesNodeDown && $0.ratePerNodeHour > 0 }
    let rate = down.reduce(0) { $0 + $1.ratePerNodeHour }
    guard rate > 0 else { return 0 }
    let repairHours = down.reduce(0) { $0 + $1.ratePerNodeHour * $1.repair.mean } / rate
    guard repairHours > 0 else { return 0 }
    let longRun = rate * repairHours / (1 + rate * repairHours)
    let x = (rate + 1 / repairHours) * min(plan.expectedWallHours, Phase.maximumHours)
    let q = x > 0 ? longRun * (1 + expm1(-x) / x) : 0
    let total = pool.nodes + (spares ?? pool.spareNodes)
    return binomialTail(trials: total, probability: q, above: total - plan.nodes)
  }

  /// P(X > k) for X binomial with `trials` trials of success probability p: the terms from the
  /// larger side of the mean summed in logs, so the cost is about 40 standard deviations of terms
  /// whatever the trials.
  static func binomialTail(trials n: Int, probability p: Double, above k: Int) -> Double {
    guard k < n else { return 0 }
    guard k >= 0 else { return 1 }
    guard p > 0 else { return 0 }
    guard p < 1 else { return 1 }
    let mean = Double(n) * p
    let width = 40 * (mean * (1 - p)).squareRoot() + 40
    if Double(k) > mean + width { return 0 }
    if Double(k) < mean - width { return 1 }
    // log C(n, i) p^i (1 − p)^(n − i) at i = first, by log-gamma, then by the ratio of
    // consecutive terms.
    let first = max(0, Int(mean - width))
    let last = min(n, Int(mean + width) + 1)
    var logTerm = logChoose(n, first) + Double(first) * log(p) + Double(n - first) * log1p(-p)
    let logOdds = log(p) - log1p(-p)
    var above = 0.0
    var i = first
    while i <= last {
      if i > k { above += exp(logTerm) }
      logTerm += log(Double(n - i) / Double(i + 1)) + logOdds
      i += 1
    }
    return min(1, max(0, above))
  }

  /// ln C(n, k), from Stirling's series for the log-factorials (exact sums below 20).
  static func logChoose(_ n: Int, _ k: Int) -> Double {
    logFactorial(n) - logFactorial(k) - logFactorial(n - k)
  }

  static func logFactorial(_ n: Int) -> Double {
    if n < 20 { return (1..<max(2, n + 1)).reduce(0) { $0 + log(Double($1)) } }
    let x = Double(n)
    // ln n! = n ln n − n + ½ ln(2πn) + 1/(12n) − 1/(360n³) + 1/(1260n⁵).
    return x * log(x) - x + 0.5 * log(2 * Double.pi * x) + 1 / (12 * x) - 1 / (360 * x * x * x)
      + 1 / (1260 * pow(x, 5))
  }
}
