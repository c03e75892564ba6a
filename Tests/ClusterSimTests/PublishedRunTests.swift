import Foundation
import Testing

@testable import ClusterSim

/// Whole published training runs rebuilt from the model, the data and the cluster
/// (`configs/deepseek-v3.yaml`, `configs/llama3-405b.yaml`) against the figures their papers
/// give. Every expected figure is computed by the simulator from work given as a model shape,
/// never read back from a config; docs/validation.md, "Whole runs", tabulates the same numbers.
@Suite struct PublishedRunTests {
  /// The sum of `metric`'s means over the phases whose names satisfy `include`.
  static func sum(
    _ result: SimulationResult, _ metric: PhaseMetric, where include: (String) -> Bool
  ) -> Double {
    result.program.phases.indices
      .filter { include(result.program.phases[$0].name) }
      .reduce(0) { $0 + result.phases[$1][metric].mean }
  }

  /// The tokens a training phase works through: steps × global batch × sequence.
  static func tokens(_ phase: Phase) -> Double? {
    guard case .training(let spec) = phase.work else { return nil }
    return spec.steps * Double(spec.globalBatch) * Double(spec.seqLen)
  }

  /// DeepSeek-V3 (arXiv 2412.19437, Table 1): 2.788M H800 GPU-hours in all, of which pre-training
  /// 2.664M (with the §4.2 batch ramp), context extension 119K, post-training 5K. The total must
  /// land within ±10%. Pre-training and context extension come from the step-time model,
  /// post-training (SFT, then GRPO) from the inference and RL models; none is typed in.
  @Test func deepSeekV3WholeRunWithinTenPercent() throws {
    let program = try ReferenceConfigTests.load("deepseek-v3.yaml")
    // Every phase is a model, data and a layout (post-training's RL phase: rollouts).
    for phase in program.phases where phase.name != "post-training-rl" {
      #expect(Self.tokens(phase) != nil, "\(phase.name) must be described from first principles")
    }
    let rl = try #require(program.phases.first { $0.name == "post-training-rl" })
    if case .rl = rl.work {} else { Issue.record("post-training-rl must be an rl phase") }
    let preTraining = program.phases.filter {
      $0.name.hasPrefix("ramp-") || $0.name == "pre-training"
    }
    let preTrainingTokens = preTraining.compactMap(Self.tokens).reduce(0, +)
    #expect(abs(preTrainingTokens / 14.8e12 - 1) < 1e-9)

    // No failures: every replication is the same, so two are enough.
    let result = try Simulation.run(program, replications: 2)
    let pre = Self.sum(result, .gpuHours) { $0.hasPrefix("ramp-") || $0 == "pre-training" }
    let context = Self.sum(result, .gpuHours) { $0.hasPrefix("context-") }
    let post = Self.sum(result, .gpuHours) { $0.hasPrefix("post-training") }
    let total = result.total.gpuHours.mean
    #expect(abs(total - (pre + context + post)) < 1e-6)
    for (stage, predicted, published) in [
      ("pre-training", pre, 2_664_000.0), ("context extension", context, 119_000),
      ("post-training", post, 5_000), ("total", total, 2_788_000),
    ] {
      print(
        String(
          format: "DeepSeek-V3 %@: predicted %.0f GPU-hours, published %.0f, error %+.1f%%",
          stage, predicted, published, 100 * (predicted / published - 1)))
    }
    #expect(abs(total / 2_788_000 - 1) <= 0.10)
    #expect(abs(pre / 2_664_000 - 1) <= 0.10)
    #expect(abs(result.total.costUSD.mean - 2 * total) < 1e-3)
  }

  /// Llama 3 405B on 16,384 H100 (arXiv 2407.21783, §3.3.4): 419 unexpected interruptions in a
  /// 54-day snapshot, and "higher than 90% effective training time".
  ///
  /// Interruptions in the first 54 days: each phase holds all 16,384 GPUs, so its interruptions
  /// arrive at a constant rate; the count expected in the first 54 days is each phase's mean
  /// count times the share of its mean span that falls before 54 × 24 h. Meta's 419 is one
  /// observation of a count that, at the model's rate, is about Poisson: it should fall within
  /// three standard deviations, 3·√419 ≈ 61, of the model's expectation. That figure is partly
  /// an echo (the `llama3` profile's rates are these 419 interruptions); goodput, useful
  /// compute over elapsed time in the same window, is the model's own prediction.
  @Test func llama3InterruptionsAndGoodputOverFiftyFourDays() throws {
    let program = try ReferenceConfigTests.load("llama3-405b.yaml")
    for phase in program.phases {
      #expect(Self.tokens(phase) != nil, "\(phase.name) must be described from first principles")
      #expect(phase.gpus == 16_384)
    }
    let tokens = program.phases.compactMap(Self.tokens).reduce(0, +)
    #expect(abs(tokens / 15.6e12 - 1) < 1e-9)

    let result = try Simulation.run(program, replications: 20)
    let window = 54.0 * 24
    var interruptions = 0.0
    var usefulHours = 0.0
    var wallHours = 0.0
    var runUsefulHours = 0.0
    for summary in result.phases {
      let (start, end) = (summary.startHours.mean, summary.endHours.mean)
      let wall = summary.wallClockHours.mean
      runUsefulHours += summary.goodput.mean * wall
      wallHours += wall
      let inWindow = max(0, min(end, window) - max(start, 0))
      guard inWindow > 0, wall > 0 else { continue }
      interruptions += summary.interruptions.mean * inWindow / wall
      usefulHours += summary.goodput.mean * inWindow
    }
    #expect(result.total.wallClockHours.mean > window, "the run must outlast the window")
    let goodput = usefulHours / window
    let band = 3 * Double(419).squareRoot()
    print(
      String(
        format: "Llama 3 405B: %.1f interruptions in the first 54 days (published 419, band ±%.0f)",
        interruptions, band))
    print(
      String(
        format: "Llama 3 405B: goodput %.3f in them (published > 0.90), %.3f over the %.0f h run",
        goodput, runUsefulHours / wallHours, wallHours))
    #expect(abs(interruptions - 419) <= band)
    #expect(goodput >= 0.90)
  }
}
