import Foundation
import Testing

@testable import ClusterSim

/// Advice a planner can follow: a memory error names only changes that exist for the model and
/// chip, "search more keys" only when some are fixed, and "no layout" names GPU counts that work
/// (bug reports err-mem2.yaml and err-mem5.yaml, 2026-12-07).
@Suite struct FollowableAdviceTests {
  /// The reproducers' config: a 126-layer dense model (about 400B parameters) on one node of 8
  /// H100, GRPO with 8-GPU rollout engines, every layout key searched.
  static func rl(precision: String, parallelism: String = "auto") -> String {
    """
    cluster:
      storage: {write_gb_per_s: 50, read_gb_per_s: 100}
      pools:
        - name: h100
          chip: H100-SXM5-80GB
          nodes: 1
          price_per_gpu_hour: 2.49
          failures:
            profile: llama3
    phases:
      - name: grpo
        kind: rl
        pool: h100
        gpus: 8
        precision: \(precision)
        model: {layers: 126, hidden: 16384, heads: 128, kv_heads: 8, ffn: 53248, vocab: 152064}
        steps: 2000
        prompts_per_step: 128
        samples_per_prompt: 16
        minibatches_per_rollout: 1
        prompt_tokens: 300
        generated_tokens: {mean: 8192, cv: 0.6, max: 16384}
        inference: {tp: 8}
        parallelism: \(parallelism)
        checkpoint: {interval: auto}
    """
  }

  static func message(_ yaml: String) -> String {
    do {
      _ = try ConfigLoader.parsePlan(yaml: yaml, file: "x.yaml")
      return ""
    } catch {
      return error.issues.map(\.description).joined(separator: "\n")
    }
  }

  /// err-mem2: bf16 weights need 101.0 GB per GPU at tp 8, over 90% of 80 GB. tp is already a
  /// whole node and ep does not apply to a dense model: what works is fp8 weights (half, 50.5 GB
  /// less) or a chip whose 90% holds 101 GB (H200 141 GB, B200 180 GB).
  @Test func denseWeightsThatDoNotFitGetChangesThatExist() {
    let message = Self.message(Self.rl(precision: "bf16"))
    #expect(message.hasPrefix("x.yaml:23:16: phases[0].inference: the model's weights need 101.0 GB per GPU"))
    #expect(message.hasSuffix(
      "changes that make room: fp8 weights (precision: fp8, 50.5 GB less per GPU), or a chip with "
        + "more HBM (H200-SXM-141GB, 141 GB; B200-SXM-180GB, 180 GB)"))
    #expect(!message.contains("ep"))
    #expect(!message.contains("tp 16"))
  }

  /// err-mem5: every key is already searched, so the advice does not propose `parallelism: auto`.
  @Test func noLayoutDoesNotProposeTheSearchItAlreadyRan() {
    let message = Self.message(Self.rl(precision: "fp8"))
    #expect(message.contains("phases[0].parallelism: no layout of 8 GPUs works"))
    #expect(message.contains("give the phase more GPUs, or use a chip with more memory"))
    #expect(!message.contains("search more keys"))
  }

  /// With keys fixed, the advice names them.
  @Test func noLayoutNamesTheFixedKeysToSearch() {
    let message = Self.message(
      Self.rl(precision: "fp8", parallelism: "{tp: auto, pp: 1, cp: auto, zero: auto}"))
    #expect(message.contains("search more keys (pp: auto, ep: auto, virtual_stages: auto"))
  }

  /// 1,000 GPUs of Llama-3-70B: cp, dp and the batch of 2,048 rule every layout out. The advice
  /// names the nearest whole-node counts below and above at which the search finds a layout,
  /// 992 and 1,008 (checked below by planning them).
  @Test func noLayoutNamesTheNearestGPUCountsThatWork() throws {
    let yaml = """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 128, price_per_gpu_hour: 2.49}
      phases:
        - name: pretrain
          pool: h100
          gpus: 1000
          precision: bf16
          model: {layers: 80, hidden: 8192, ffn: 28672, heads: 64, kv_heads: 8, vocab: 128256}
          seq_len: 8192
          global_batch: 2048
          tokens: 1.0e12
          parallelism: auto
      """
    let message = Self.message(yaml)
    #expect(message.contains("no layout of 1,000 GPUs works"))
    #expect(message.hasSuffix(
      "; the nearest GPU counts with a layout that works (whole nodes of pool \"h100\"): 992 and 1,008"))
    // And they do work.
    for gpus in [992, 1008] {
      let plan = try ConfigLoader.parsePlan(
        yaml: yaml.replacingOccurrences(of: "gpus: 1000", with: "gpus: \(gpus)"), file: "x.yaml")
      #expect(plan.phases[0][0].gpus == gpus)
    }
  }
}
