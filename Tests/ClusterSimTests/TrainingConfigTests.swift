import Foundation
import Testing

@testable import ClusterSim

/// Phases described by model, data and layout: what loads, and every bad input with the exact
/// message a user sees. Line numbers are those of `valid`.
@Suite struct TrainingConfigTests: ConfigCases {
  static let valid = """
    cluster:
      pools:
        - name: a100
          chip: A100-SXM4-80GB
          nodes: 8
          price_per_gpu_hour: 2
    phases:
      - name: gpt
        pool: a100
        gpus: 64
        precision: bf16
        model: {layers: 24, hidden: 2048, heads: 16, vocab: 50304}
        seq_len: 2048
        global_batch: 512
        tokens: 1e9
        parallelism:
          tp: 2
          pp: 2
          zero: 1
    """

  @Test func validTrainingPhaseLoads() throws {
    let program = try ConfigLoader.parse(yaml: Self.valid, file: "configs/x.yaml")
    guard case .training(let spec) = program.phases[0].work else {
      Issue.record("expected a training phase, got \(program.phases[0].work)")
      return
    }
    let plan = try Planner(program).plan().phases[0][0]
    let job = try #require(plan.training).job
    let stepSeconds = try #require(plan.training).estimate.stepSeconds
    #expect(spec.layout.data == nil)
    #expect(job.layout.data == 16)
    #expect(job.layout.microbatch == nil)
    #expect(job.model.gatedFFN)
    // SwiGLU by default, with Llama's FFN width: 8·2048/3 = 5461.3, up to a multiple of 256.
    #expect(job.model.ffn == 5632)
    // 1e9 tokens in steps of 512 × 2048 tokens.
    #expect(abs(job.steps - 1e9 / (512 * 2048)) < 1e-9)
    #expect(stepSeconds > 0)
    let expected = job.steps * stepSeconds / 3600
    #expect(abs(plan.workHours - expected) < 1e-12)
  }

  static let cases: [(old: String, new: String, expected: String)] = [
    ("      pp: 2", "      pp: 2\n      dp: 4",
     "configs/x.yaml:19:11: phases[0].parallelism.dp: tp·pp·cp·dp = 2·2·1·4 = 16 but the phase has 64 GPUs; dp 16 would fit"),
    ("      tp: 2", "      tp: 3",
     "configs/x.yaml:17:7: phases[0].parallelism: tp·pp·cp = 3·2·1 = 6 does not divide the phase's 64 GPUs; keep 64 GPUs with one of: tp 1 pp 1 dp 64 zero 1 mb 8 (0.791 s per step); tp 1 pp 1 cp 2 dp 32 zero 1 mb 16 (0.807 s per step); tp 1 pp 1 cp 4 dp 16 zero 1 mb 32 (0.864 s per step)"),
    ("      pp: 2", "      pp: 2\n      cp: 2\n      tp: 2",
     "configs/x.yaml:20:7: (document): duplicate key \"tp\" in one mapping; give each key once (first at line 17)"),
    ("      tp: 2", "      tp: 32\n      dp: 1",
     "configs/x.yaml:17:11: phases[0].parallelism.tp: tp 32 does not divide the 16 attention heads and 16 key/value heads; tp may be 1, 2, 4, 8, 16 (on A100-SXM4-80GB)"),
    ("      tp: 2\n      pp: 2", "      tp: 1\n      pp: 16\n      dp: 4",
     "configs/x.yaml:18:11: phases[0].parallelism.pp: 24 layers do not split evenly over 16 pipeline chunks (pp 16 × 1 per device); pp may be 1, 2, 3, 4, 6, 8, 12, 24, or set parallelism.uneven_pipeline: true to let some stages hold a layer fewer (on A100-SXM4-80GB)"),
    ("      pp: 2", "      pp: 2\n      virtual_stages: 5\n      schedule: interleaved",
     "configs/x.yaml:18:11: phases[0].parallelism.pp: 24 layers do not split evenly over 10 pipeline chunks (pp 2 × 5 per device); no pp splits 24 layers into 5 chunks per device; use virtual_stages 1, 2, 3, 4, 6, 8, 12 or 24, or set parallelism.uneven_pipeline: true to let some stages hold a layer fewer (on A100-SXM4-80GB)"),
    // GPT-3 175B's shape with a SwiGLU FFN of 4h: 233.2e9 parameters, 58.3e9 per GPU on tp 2 ×
    // pp 2: weights 2 × 58.3, gradients 2 × 58.3 (bf16, the default grad_reduce), optimizer
    // 12 × 58.3 / 16 (ZeRO-1 over dp 16);
    // activations 24h bytes per token (layer-norm inputs 4h and norm outputs 4h, then 32h split
    // over t = 2: Q, K, V and the output projection's input 8h, SwiGLU 6 × 4h) × 2048 tokens ×
    // 48 layers × 2 microbatches in flight (1F1B, p = 2) = 58.0 GB.
    ("{layers: 24, hidden: 2048, heads: 16, vocab: 50304}",
     "{layers: 96, hidden: 12288, heads: 96, vocab: 51200, ffn: 49152}",
     "configs/x.yaml:8:5: phases[0]: needs 334.9 GB per GPU (weights 116.6, gradients 116.6, optimizer 43.7, activations 58.0) at microbatch 1; A100-SXM4-80GB has 80; no single change of zero or recompute fits; layouts of 64 GPUs that do: tp 4 pp 8 dp 2 1f1b zero 3 recompute selective sp mb 1 (124.405 s per step); tp 4 pp 8 cp 2 dp 1 1f1b zero 3 sp mb 1 (124.776 s per step)"),
    ("      zero: 1", "      zero: 1\n      etp: 4",
     "configs/x.yaml:20:12: phases[0].parallelism.etp: etp 4 needs an MoE model (a dense model's FFN is split by tp 2) (on A100-SXM4-80GB)"),
    ("      zero: 1", "      zero: 1\n      overlap_tp_comm: maybe",
     "configs/x.yaml:20:24: phases[0].parallelism.overlap_tp_comm: expected true or false, got \"maybe\""),
    ("      pp: 2", "      pp: 1\n      schedule: interleaved\n      virtual_stages: 2",
     "configs/x.yaml:19:17: phases[0].parallelism.schedule: the interleaved schedule needs pipeline stages (pp > 1); use schedule: 1f1b at pp 1 (on A100-SXM4-80GB)"),
    ("      zero: 1", "      zero: 4",
     "configs/x.yaml:19:13: phases[0].parallelism.zero: must be at most 3, got 4"),
    ("      zero: 1", "      zero: 1\n      schedule: 1f2b",
     "configs/x.yaml:20:17: phases[0].parallelism.schedule: unknown schedule \"1f2b\"; did you mean \"1f1b\"? (one of: 1f1b, interleaved, zero-bubble, dualpipe, auto)"),
    ("      zero: 1", "      zero: 1\n      grad_reduce: fp8",
     "configs/x.yaml:20:20: phases[0].parallelism.grad_reduce: unknown grad_reduce \"fp8\" (one of: bf16, fp16, fp32)"),
    ("      zero: 1", "      zero: 1\n      memory_headroom_gb: -1",
     "configs/x.yaml:20:27: phases[0].parallelism.memory_headroom_gb: must be zero or more, got -1"),
    ("      zero: 1", "      zero: 1\n      memory_headroom_gb: lots",
     "configs/x.yaml:20:27: phases[0].parallelism.memory_headroom_gb: expected a number, got \"lots\""),
    ("      zero: 1", "      zero: 1\n      memory_headroom_gb: 80",
     "configs/x.yaml:20:27: phases[0].parallelism.memory_headroom_gb: memory_headroom_gb 80 leaves none of the chip's 80 GB of HBM per GPU; use less than 80 (on A100-SXM4-80GB)"),
    // The valid layout (tp 2, pp 2, ZeRO 1 over dp 16) with 79 of the 80 GB kept free: 1.439e9
    // parameters, about a quarter per GPU: weights and gradients 0.7 GB each, the optimizer's
    // 12 bytes over dp 16 0.3 GB, and the activations of 2 microbatches in flight take more
    // than the 1 GB left; the advice counts the headroom too.
    ("      zero: 1", "      zero: 1\n      memory_headroom_gb: 79",
     "configs/x.yaml:8:5: phases[0]: needs 3.7 GB per GPU (weights 0.7, gradients 0.7, optimizer 0.3, activations 2.0) at microbatch 1; A100-SXM4-80GB has 80, 1 after the 79 GB headroom; no single change of zero or recompute fits; layouts of 64 GPUs that do: tp 1 pp 2 dp 32 1f1b zero 3 recompute full mb 1 (1.237 s per step); tp 1 pp 2 cp 2 dp 16 1f1b zero 3 recompute full mb 2 (1.259 s per step)"),
    ("      zero: 1", "      zero: 1\n      overlap_grad_reduce: sometimes",
     "configs/x.yaml:20:28: phases[0].parallelism.overlap_grad_reduce: expected true or false, got \"sometimes\""),
    ("      zero: 1", "      zero: 1\n      tpp: 2",
     "configs/x.yaml:20:7: phases[0].parallelism.tpp: unknown key \"tpp\"; did you mean \"pp\"?"),
    ("    tokens: 1e9", "    tokens: 1e9\n    mfu: 0.4",
     "configs/x.yaml:16:10: phases[0].mfu: the step time is computed from the model and its layout; remove mfu (it applies to model.active_params)"),
    ("    tokens: 1e9", "    gpu_hours: 100",
     "configs/x.yaml:15:16: phases[0].gpu_hours: a phase with a model shape takes its work as tokens or steps; remove gpu_hours"),
    ("    tokens: 1e9", "    tokens: 1e9\n    steps: 10",
     "configs/x.yaml:16:12: phases[0].steps: the work is given twice (tokens and steps); keep exactly one"),
    ("    global_batch: 512\n", "",
     "configs/x.yaml:8:5: phases[0]: missing required key \"global_batch\""),
    ("    global_batch: 512", "    global_batch: 500",
     "configs/x.yaml:14:19: phases[0].global_batch: global_batch 500 does not split over dp 16 data-parallel replicas; use a multiple of 16 (on A100-SXM4-80GB)"),
    ("{layers: 24, hidden: 2048, heads: 16, vocab: 50304}",
     "{kind: moe, layers: 24, hidden: 2048, heads: 16, vocab: 50304}",
     "configs/x.yaml:12:12: phases[0].model: missing required key \"routed_experts\"\n"
       + "configs/x.yaml:12:12: phases[0].model: missing required key \"experts_per_token\"\n"
       + "configs/x.yaml:12:12: phases[0].model: missing required key \"expert_ffn\""),
    ("{layers: 24, hidden: 2048, heads: 16, vocab: 50304}",
     "{layers: 24, hidden: 2048, heads: 16, vocab: 50304, routed_experts: 8}",
     "configs/x.yaml:12:80: phases[0].model.routed_experts: applies only to kind: moe"),
    ("{layers: 24, hidden: 2048, heads: 16, vocab: 50304}",
     "{layers: 24, hidden: 2048, heads: 12, vocab: 50304}",
     "configs/x.yaml:12:46: phases[0].model.heads: 12 heads do not divide hidden 2048"),
    ("    precision: bf16", "    precision: fp8",
     "configs/x.yaml:11:16: phases[0].precision: A100-SXM4-80GB has no fp8 peak (it has: fp64, fp64_tensor, tf32, bf16, fp16) (on A100-SXM4-80GB)"),
    ("    seq_len: 2048", "    seq_len: 2048\n    attention_kernel: flashy",
     "configs/x.yaml:14:23: phases[0].attention_kernel: unknown attention kernel \"flashy\"; did you mean \"flash\"? (one of: flash, unfused)"),
  ]

  @Test(arguments: cases)
  func badTrainingPhase(old: String, new: String, expected: String) {
    let found = messages(edited(old, new))
    if expected.isEmpty {
      #expect(found.count == 1)
    } else {
      #expect(found.joined(separator: "\n") == expected)
    }
  }


  /// `grad_reduce` and `overlap_grad_reduce` reach the step: in fp32 the data-parallel
  /// collectives carry twice the bytes, and not overlapped the part that hid behind the passes
  /// joins the step.
  @Test func gradientSyncReachesTheStep() throws {
    func estimate(_ extra: String) throws -> StepEstimate {
      let yaml = Self.valid.replacingOccurrences(of: "      zero: 1", with: "      zero: 1" + extra)
      let program = try ConfigLoader.parse(yaml: yaml, file: "configs/x.yaml")
      return try #require(try Planner(program).plan().phases[0][0].training).estimate
    }
    let modern = try estimate("")
    let fp32 = try estimate("\n      grad_reduce: fp32")
    let exposed = try estimate("\n      overlap_grad_reduce: false")
    let both = try estimate("\n      grad_reduce: fp32\n      overlap_grad_reduce: false")
    let dp = { (e: StepEstimate) in e.breakdown.dataParallel }
    #expect(dp(modern).hiddenSeconds > 0)
    #expect(dp(exposed).hiddenSeconds == 0)
    let total = { (e: StepEstimate) in dp(e).exposedSeconds + dp(e).hiddenSeconds }
    #expect(abs(total(exposed) - total(modern)) < 1e-12)
    #expect(abs(exposed.stepSeconds - modern.stepSeconds - dp(modern).hiddenSeconds) < 1e-9)
    // ZeRO-1 reduce-scatters the gradients and all-gathers the bf16 weights, each L of latency
    // and B of bandwidth term in bf16: in fp32 the reduce-scatter's B doubles, so the total goes
    // from 2L + 2B to 2L + 3B, just under 1.5 times when the latencies are small.
    #expect(total(both) > total(exposed) * 1.4 && total(both) < total(exposed) * 1.5)
    #expect(total(fp32) > total(modern))
  }

  /// `chips.NAME.efficiency` overrides the catalog's constants: halving the bf16 GEMM efficiency
  /// slows the step; a fraction above 1 is refused.
  @Test func efficiencyOverride() throws {
    func stepSeconds(_ yaml: String) throws -> Double {
      let program = try ConfigLoader.parse(yaml: yaml, file: "configs/x.yaml")
      return try Planner(program).plan().phases[0][0].training?.estimate.stepSeconds ?? 0
    }
    let base = try stepSeconds(Self.valid)
    let slower = try stepSeconds(
      "chips:\n  A100-SXM4-80GB:\n    efficiency: {gemm: {bf16: 0.335}}\n" + Self.valid)
    #expect(slower > base * 1.3)
    let program = try ConfigLoader.parse(
      yaml: "chips:\n  A100-SXM4-80GB:\n    efficiency: {hbm: 0.5}\n" + Self.valid,
      file: "configs/x.yaml")
    #expect(program.catalog["A100-SXM4-80GB"]?.efficiency.hbm == 0.5)
    #expect(
      program.catalog["A100-SXM4-80GB"]?.efficiency.gemm[.bf16]
        == ChipCatalog.builtIn["A100-SXM4-80GB"]?.efficiency.gemm[.bf16])
    #expect(
      messages("chips:\n  A100-SXM4-80GB:\n    efficiency: {gemm: {bf16: 1.5}}\n" + Self.valid)
        == [
          "configs/x.yaml:3:31: chips.A100-SXM4-80GB.efficiency.gemm.bf16: must be a fraction "
            + "between 0 and 1, got 1.5"
        ])
  }
}
