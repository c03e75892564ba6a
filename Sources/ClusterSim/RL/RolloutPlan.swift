import SimKernel

/// An RL phase resolved for one pool at one GPU count: each rollout's fixed seconds (prefill,
/// scoring, updates, hand-over) and its decode time as a function of its longest sample, which
/// each replication draws (`docs/model.md`, "RL post-training").
public struct RolloutPlan: Sendable, Hashable {
  /// One rollout: the samples it generates and what each part of it takes.
  public struct Rollout: Sendable, Hashable {
    /// The first policy update it feeds, and how many it feeds.
    public var firstStep: Double
    public var updates: Double
    public var samples: Double
    public var lengths: LengthDistribution
    public var prefillSeconds: Double
    /// Reference (and reward-model) forward passes over its samples.
    public var scoringSeconds: Double
    /// The policy updates on its samples.
    public var updateSeconds: Double
    /// Weights handed from the training layout to the inference engines and back.
    public var handOverSeconds: Double
    /// Times the engines must split their samples into waves because the KV cache cannot hold
    /// them all (1 when it can).
    public var waves: Int
    /// Decode seconds before each `RolloutPlanner.chunkTokens` of generated length, cumulative:
    /// entry j is the time for the engine holding the longest sample to reach j chunks.
    public var cumulativeDecodeSeconds: [Double]
    /// The draw from which the longest sample reaches the maximum length (`capDraw`), and the
    /// whole rollout's seconds then: most rollouts of a long-tailed phase end at the cap, and
    /// these spare each such draw its quantile.
    public var capDraw = 1.0
    public var cappedSeconds = 0.0

    public var fixedSeconds: Double {
      prefillSeconds + scoringSeconds + updateSeconds + handOverSeconds
    }

    /// Seconds to decode until the longest sample ends at `tokens`, the table interpolated
    /// between its chunks.
    public func decodeSeconds(longestTokens tokens: Double) -> Double {
      let position = tokens / RolloutPlanner.chunkTokens
      let table = cumulativeDecodeSeconds
      let below = min(table.count - 2, Int(position))
      let fraction = position - Double(below)
      return table[below] + (table[below + 1] - table[below]) * fraction
    }
  }

  public var rollouts: [Rollout]
  /// Inference engines the phase's GPUs hold.
  public var engines: Int
  /// The step of the updates at the longest mean length (the layout the updates use).
  public var update: PhasePlan.TrainedStep

  /// The phase's seconds with every rollout's longest sample drawn from `stream`.
  public func drawSeconds(_ stream: inout RandomStream) -> Double {
    var total = 0.0
    for rollout in rollouts {
      let u = stream.nextOpenUnitInterval()
      if u >= rollout.capDraw {
        total += rollout.cappedSeconds
        continue
      }
      let longest = rollout.lengths.longest(of: rollout.samples, u: u)
      total += rollout.fixedSeconds + rollout.decodeSeconds(longestTokens: longest)
    }
    return total
  }

  /// Quantiles of the draw the expectations average over.
  static let expectationPoints = 32

  /// A rollout's expected decode seconds: the decode time averaged over quantiles of its
  /// longest sample.
  public func expectedDecodeSeconds(_ rollout: Rollout) -> Double {
    let n = Self.expectationPoints
    var sum = 0.0
    for i in 0..<n {
      let u = (Double(i) + 0.5) / Double(n)
      sum += rollout.decodeSeconds(longestTokens: rollout.lengths.longest(of: rollout.samples, u: u))
    }
    return sum / Double(n)
  }

  /// Expected seconds of the whole phase, by part.
  public var expected: RLBreakdown {
    var parts = RLBreakdown()
    for rollout in rollouts {
      parts.prefillSeconds += rollout.prefillSeconds
      parts.decodeSeconds += expectedDecodeSeconds(rollout)
      parts.scoringSeconds += rollout.scoringSeconds
      parts.updateSeconds += rollout.updateSeconds
      parts.handOverSeconds += rollout.handOverSeconds
    }
    return parts
  }
}

/// Seconds of an RL phase (or of one of its steps) by part; they add up to its time.
public struct RLBreakdown: Sendable, Hashable {
  public var prefillSeconds = 0.0
  public var decodeSeconds = 0.0
  public var scoringSeconds = 0.0
  public var updateSeconds = 0.0
  public var handOverSeconds = 0.0

  public var totalSeconds: Double {
    prefillSeconds + decodeSeconds + scoringSeconds + updateSeconds + handOverSeconds
  }

  public static func / (a: RLBreakdown, k: Double) -> RLBreakdown {
    RLBreakdown(
      prefillSeconds: a.prefillSeconds / k, decodeSeconds: a.decodeSeconds / k,
      scoringSeconds: a.scoringSeconds / k, updateSeconds: a.updateSeconds / k,
      handOverSeconds: a.handOverSeconds / k)
  }
}
