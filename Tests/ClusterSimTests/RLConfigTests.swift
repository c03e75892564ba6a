import Foundation
import Testing

@testable import ClusterSim

/// The `rl`, `generate` and `sft` phase kinds: a valid config, what it plans to, and every kind
/// of bad input with the exact message.
@Suite struct RLConfigTests: ConfigCases {
  static let valid = """
    cluster:
      pools:
        - name: h100
          chip: H100-SXM5-80GB
          nodes: 4
          price_per_gpu_hour: 2
    phases:
      - name: grpo
        kind: rl
        pool: h100
        gpus: 32
        model: {layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256}
        steps: 64
        prompts_per_step: 16
        samples_per_prompt: 8
        minibatches_per_rollout: 4
        prompt_tokens: 200
        generated_tokens: {mean: [[0, 1000], [64, 3000]], cv: 0.5, max: 8192}
        inference: {tp: 2}
        parallelism: {tp: 2, pp: 1}
      - name: data
        kind: generate
        pool: h100
        gpus: 32
        depends_on: [grpo]
        model: {layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256}
        samples: 10000
        kept_fraction: 0.5
        prompt_tokens: 200
        generated_tokens: {mean: 2000, cv: 0.5, max: 8192}
        inference: {tp: 1}
      - name: tune
        kind: sft
        pool: h100
        gpus: 32
        depends_on: [data]
        model: {layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256}
        samples: 10000
        mean_tokens: 2000
        epochs: 2
        seq_len: 8192
        global_batch: 32
        parallelism: {tp: 2}
    """

  @Test func validConfigPlans() throws {
    let plan = try ConfigLoader.parsePlan(yaml: Self.valid, file: "configs/x.yaml")
    let rl = try #require(plan.phases[0][0].rollouts)
    // 64 updates, 4 per rollout: 16 rollouts of 512 samples on 16 engines of 2 GPUs.
    #expect(rl.rollouts.count == 16)
    #expect(rl.rollouts.allSatisfy { $0.samples == 512 })
    #expect(rl.engines == 16)
    // The mean length follows the schedule at each rollout's middle step: 1000 + 2000·s/64.
    #expect(abs(rl.rollouts[0].lengths.meanTokens - (1000 + 2000 * 2.0 / 64)) < 0.01)
    #expect(abs(rl.rollouts[15].lengths.meanTokens - (1000 + 2000 * 62.0 / 64)) < 0.01)
    // The phase's hours are its rollouts' parts summed; scoring is a third of the update
    // (one reference forward per sample).
    let parts = rl.expected
    #expect(abs(parts.totalSeconds / 3600 - plan.phases[0][0].workHours) < 1e-9)
    for rollout in rl.rollouts {
      #expect(abs(rollout.scoringSeconds - rollout.updateSeconds / 3) < 1e-9)
    }
    #expect(parts.decodeSeconds > parts.updateSeconds)
    // SFT: 10,000 × 2,000 × 2 tokens in steps of 32 × 8,192.
    guard case .training(let sft) = plan.program.phases[2].work else {
      Issue.record("sft is training work")
      return
    }
    #expect(abs(sft.steps - 10_000 * 2_000 * 2 / (32 * 8_192.0)) < 1e-9)
    // Generate: 20,000 samples generated for 10,000 kept.
    guard case .generate(let generate) = plan.program.phases[1].work else {
      Issue.record("generate work")
      return
    }
    #expect(generate.generated == 20_000)
  }

  /// Each replication draws its own longest samples: hours differ across replications, and a
  /// replication's hours never depend on anything but (seed, replication, phase).
  @Test func rlHoursAreDrawnPerReplication() throws {
    let plan = try ConfigLoader.parsePlan(yaml: Self.valid, file: "configs/x.yaml")
    let work = plan.phases[0][0].work
    let draws = (0..<20).map { work.hours(seed: 1, replication: $0, phase: 0) }
    #expect(Set(draws).count == 20)
    #expect(draws[3] == work.hours(seed: 1, replication: 3, phase: 0))
    let mean = draws.reduce(0, +) / 20
    #expect(abs(mean - plan.phases[0][0].workHours) / mean < 0.05)
  }

  /// `explain --layouts` of an RL phase ranks the layouts of its policy update, the planned
  /// one among them.
  @Test func layoutsOfAnRLPhaseAreItsUpdates() throws {
    let plan = try ConfigLoader.parsePlan(yaml: Self.valid, file: "configs/x.yaml")
    let report = try LayoutReport(plan, phase: "grpo", keep: 3)
    let search = try #require(report.searches.first)
    #expect(search.result.ranked.count == 3)
    let update = try #require(plan.phases[0][0].training)
    // The update is planned at the longest mean, 200 + 3,000 tokens rounded up to 3,584.
    #expect(update.job.seqLen == 3584)
    #expect(search.result.ranked.allSatisfy { $0.job.seqLen == 3584 && $0.job.globalBatch == 128 })
    #expect(search.result.ranked[0].estimate.stepSeconds <= update.estimate.stepSeconds)
  }

  @Test(arguments: [
    ("    prompt_tokens: 200\n    generated_tokens: {mean: [[0, 1000], [64, 3000]]",
     "    prompt_tokens: 200\n    generated_tokens: {mean: [[0, 1000], [64, 9000]]",
     "configs/x.yaml:18:23: phases[0].generated_tokens: the mean generated length 8250 at step 56 is not below the maximum length 8192 there"),
    ("[[0, 1000], [64, 3000]]", "[[10, 1000], [4, 3000]]",
     "configs/x.yaml:18:44: phases[0].generated_tokens.mean[1][0]: steps must not decrease: 4 after 10"),
    ("[[0, 1000], [64, 3000]]", "[[0, 1000, 5]]",
     "configs/x.yaml:18:31: phases[0].generated_tokens.mean[0]: expected [step, tokens], got 3 values"),
    ("    minibatches_per_rollout: 4\n", "    minibatches_per_rollout: 4\n    outputs_per_rollout: 500\n",
     "configs/x.yaml:17:26: phases[0].outputs_per_rollout: 500 outputs per rollout, but prompts_per_step × samples_per_prompt × minibatches_per_rollout = 16 × 8 × 4 = 512"),
    ("    inference: {tp: 2}", "    inference: {tp: 3}",
     "configs/x.yaml:19:16: phases[0].inference: tp 3 does not divide the model's 32 heads"),
    ("    inference: {tp: 2}", "    inference: {tp: 2, mtp_acceptance: 1.5}",
     "configs/x.yaml:19:40: phases[0].inference.mtp_acceptance: must be a fraction between 0 and 1, got 1.5"),
    ("    inference: {tp: 2}", "    inference: {tp: 2, ep: 4}",
     "configs/x.yaml:19:16: phases[0].inference: ep 4 applies only to a mixture-of-experts model"),
    ("    inference: {tp: 2}", "    inference: {tp: 2, pp: 2}",
     "configs/x.yaml:19:24: phases[0].inference.pp: unknown key \"pp\"; did you mean \"ep\"?"),
    ("    kind: rl", "    kind: rlhf",
     "configs/x.yaml:9:11: phases[0].kind: unknown phase kind \"rlhf\" (one of: rl, generate, sft)"),
    ("    steps: 64\n", "    steps: 64\n    tokens: 1e9\n",
     "configs/x.yaml:14:13: phases[0].tokens: an rl phase's work is its steps, prompts, samples and generated lengths; remove tokens"),
    ("    samples: 10000\n    kept_fraction: 0.5", "    samples: 10000\n    kept_fraction: 2",
     "configs/x.yaml:28:20: phases[1].kept_fraction: must be a fraction between 0 and 1, got 2"),
    ("    epochs: 2", "    epochs: 2\n    kept_fraction: 0.5",
     "configs/x.yaml:41:20: phases[2].kept_fraction: applies only to a phase of kind: generate"),
    ("    generated_tokens: {mean: 2000, cv: 0.5, max: 8192}", "    generated_tokens: {mean: 9000, cv: 0.5, max: 8192}",
     "configs/x.yaml:30:30: phases[1].generated_tokens.mean: the mean length 9000 must be below the maximum 8192"),
    ("    generated_tokens: {mean: 2000, cv: 0.5, max: 8192}", "    generated_tokens: {mean: [[0, 2000]], cv: 0.5, max: 8192}",
     "configs/x.yaml:30:30: phases[1].generated_tokens.mean: expected a number of tokens, got a list"),
    ("    steps: 64\n", "    steps: 1e12\n",
     "configs/x.yaml:13:12: phases[0].steps: 250000000000 rollouts of up to 8192 tokens are too many to tabulate (at most 2e7 rollouts × maximum length / 128); use more minibatches_per_rollout or fewer steps"),
    ("    samples_per_prompt: 8\n", "    samples_per_prompt: 100000000\n",
     "configs/x.yaml:14:23: phases[0].prompts_per_step: prompts_per_step × samples_per_prompt × minibatches_per_rollout = 6400000000 samples per rollout; at most 1e9"),
    ("    prompts_per_step: 16\n", "",
     "configs/x.yaml:8:5: phases[0]: missing required key \"prompts_per_step\""),
  ])
  func rejects(old: String, new: String, message: String) {
    #expect(messages(edited(old, new)) == [message])
  }
}
