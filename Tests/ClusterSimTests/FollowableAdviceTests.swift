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
    #expect(
      message.hasPrefix(
        "x.yaml:23:16: phases[0].inference: the model's weights need 101.0 GB per GPU"))
    #expect(
      message.hasSuffix(
        "changes that make room: fp8 weights (precision: fp8, 50.5 GB less per GPU), or a chip with "
          + "more HBM (H200-SXM-141GB, 141 GB; B200-SXM-180GB, 180 GB; GB200-NVL72-186GB, 186 GB; "
          + "GB300-NVL72-288GB, 288 GB; B300-SXM-288GB, 288 GB) (tp stays within a node of 8 "
          + "GPUs; ep applies to mixture-of-experts models only)"))
    #expect(!message.contains("larger ep"))
    #expect(!message.contains("tp 16"))
  }

  /// A Llama-3-70B-shaped engine on one node of 8 H100 (tp 8, bf16): weights about 17.4 GB per
  /// GPU, leaving 72 − 17.4 = 54.6 GB for the KV cache at 40,960 bytes per token per GPU
  /// (80 layers × 2 × 8 heads × 128 × 2 bytes / 8): about 1.33M tokens. A sequence of 2M tokens
  /// needs 81.9 GB after the weights: fp8 weights (8.7 GB saved) are not enough and are not
  /// proposed; an H200 (126.9 GB usable) or a B200 are, and the longest sequence that fits.
  @Test func aSequenceThatDoesNotFitGetsChangesThatMakeRoom() throws {
    let model = TransformerModel(
      layers: 80, hidden: 8192, ffn: 28672, heads: 64, kvHeads: 8, vocab: 128256, gatedFFN: true)
    let engine = InferenceModel(
      model: model, layout: InferenceLayout(tensor: 8),
      chip: ChipCatalog.builtIn["H100-SXM5-80GB"]!, precision: .bf16)
    #expect(engine.kvBytesPerTokenPerGPU == 40_960)
    let longest = (engine.kvCapacityBytesPerGPU / 40_960).rounded(.down)
    #expect(abs(longest - 1_333_000) < 5_000)
    #expect(throws: PlanError.self) { try engine.checkRoom(forSequenceOf: 2e6) }
    // No fp8 (not enough), no larger tp (8 is the node), no ep (dense).
    #expect(
      engine.memoryAdvice(sequenceTokens: 2e6)
        == "changes that make room: a chip with more HBM (H200-SXM-141GB, 141 GB; B200-SXM-180GB, "
        + "180 GB; GB200-NVL72-186GB, 186 GB; GB300-NVL72-288GB, 288 GB; B300-SXM-288GB, 288 GB), "
        + "or a shorter generated_tokens.max (a sequence of up to "
        + "\(TextTable.grouped(longest, decimals: 0)) tokens, prompt included, fits here) (tp stays "
        + "within a node of 8 GPUs; ep applies to mixture-of-experts models only)")
    // 1M tokens fit already: no advice is asked for.
    #expect(engine.makesRoom(sequenceTokens: 1e6))
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
    #expect(
      message.hasSuffix(
        "; the nearest GPU counts with a layout that works (whole nodes of pool \"h100\"): 992 and 1,008"
      ))
    // And they do work.
    for gpus in [992, 1008] {
      let plan = try ConfigLoader.parsePlan(
        yaml: yaml.replacingOccurrences(of: "gpus: 1000", with: "gpus: \(gpus)"), file: "x.yaml")
      #expect(plan.phases[0][0].gpus == gpus)
    }
  }
}
