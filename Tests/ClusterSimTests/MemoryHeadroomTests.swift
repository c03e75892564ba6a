import Testing

@testable import ClusterSim

/// `parallelism.memory_headroom_gb`: the memory check keeps that much of each GPU's HBM free, in
/// the step-time model's microbatch choice and refusal, in the layout search, in `explain
/// --layouts` and in the advice; the totals below are computed by hand.
@Suite struct MemoryHeadroomTests {
  /// GPT-2 1.7B's shape (24 layers, h = 2304, 24 heads, V = 51,200; GeLU FFN of 4h, no dropout):
  /// 24 · 12h² + 2Vh = 1,528,823,808 + 235,929,600 = 1,764,753,408 parameters.
  static let gpt17B = TransformerModel(layers: 24, hidden: 2304, heads: 24, vocab: 51200)

  static func job(microbatch: Int?, headroomGB: Double) -> TrainingJob {
    TrainingJob(
      model: gpt17B, seqLen: 2048, globalBatch: 64, steps: 1,
      layout: ParallelLayout(data: 8, microbatch: microbatch, zero: 1, recompute: .full),
      attentionKernel: .unfused, memoryHeadroomGB: headroomGB)
  }

  static func a100() throws -> Chip { try #require(ChipCatalog.builtIn["A100-SXM4-80GB"]) }

  /// On dp 8 with ZeRO 1: weights 2P = 3,529,506,816, gradients 2P (bf16) = 3,529,506,816,
  /// optimizer 12P/8 = 2,647,130,112 bytes. Activations per sequence of s = 2048 tokens under full
  /// recomputation: the 24 layer inputs 24 · 2sh = 226,492,416, one layer's full activations
  /// while it is recomputed s(32h + 2as) = 2048 · (73,728 + 98,304) = 352,321,536 (layer-norm
  /// inputs and outputs 8h, QKV and projection input 8h, GeLU 16h; the unfused core's softmax
  /// output 2as without dropout), and the fp32 logits 4sV = 419,430,400: 998,244,352 per
  /// sequence, 7,985,954,816 at microbatch 8. Total 17,692,098,560 bytes: it fits with no
  /// headroom and with 62.3 GB (17.7 left), and not with 62.31 (17.69 left).
  @Test func aLayoutFitsUnderHBMLessTheHeadroom() throws {
    let chip = try Self.a100()
    let memory = StepTimeModel(job: Self.job(microbatch: 8, headroomGB: 0), chip: chip)
      .estimate(microbatch: 8).memory
    #expect(memory.totalBytes == 17_692_098_560)
    #expect(memory.activationsBytes == 7_985_954_816)
    for headroom in [0, 62.3] {
      let model = StepTimeModel(job: Self.job(microbatch: 8, headroomGB: headroom), chip: chip)
      #expect(throws: Never.self) { try model.estimate() }
    }
    let refused = StepTimeModel(job: Self.job(microbatch: 8, headroomGB: 62.31), chip: chip)
    #expect(throws: LayoutError.self) { try refused.estimate() }
    do {
      _ = try refused.estimate()
    } catch {
      #expect(error.key == "")
      #expect(
        error.message
          == "needs 17.7 GB per GPU (weights 3.5, gradients 3.5, optimizer 2.6, activations "
          + "8.0) at microbatch 8; A100-SXM4-80GB has 80, 17.69 after the 62.31 GB headroom")
    }
  }

  /// With the microbatch left open, the model takes the fastest that fits: microbatch 8 with no
  /// headroom; under 62.31 GB of headroom 8 no longer fits and microbatch 4 (9,706,143,744 of
  /// states + 4 × 998,244,352 = 13,699,121,152 bytes) is the fastest that does.
  @Test func theMicrobatchChoiceKeepsTheHeadroom() throws {
    let chip = try Self.a100()
    let open = try StepTimeModel(job: Self.job(microbatch: nil, headroomGB: 0), chip: chip)
      .estimate()
    #expect(open.microbatch == 8)
    let model = StepTimeModel(job: Self.job(microbatch: nil, headroomGB: 62.31), chip: chip)
    let kept = try model.estimate()
    #expect(kept.microbatch == 4)
    #expect(kept.memory.totalBytes == 13_699_121_152)
    #expect(kept.stepSeconds <= model.estimate(microbatch: 2).stepSeconds)
    #expect(kept.stepSeconds <= model.estimate(microbatch: 1).stepSeconds)
  }

  /// Llama 3 8B's shape on 32 H100s, every layout key searched. P = 32 · (2h² + 2h·1024 +
  /// 3h·14,336) + 2Vh = 6,979,321,856 + 1,050,673,152 = 8,029,995,008 parameters; on tp 1 pp 1
  /// dp 32 with ZeRO 1: 2P + 2P + 12P/32 = 35,131,228,160 bytes of states. Activations per
  /// sequence of 4096 tokens (flash, no recomputation): 32 layers × (8h replicated + Q, K, V
  /// 12,288 + projection input 8192 + SwiGLU 6 · 14,336) = 139,264 bytes per token per layer,
  /// 18,253,611,008, plus fp32 logits 4sV = 2,101,346,304: 20,354,957,312. The search's pick,
  /// microbatch 2, needs 75,841,142,784 bytes: kept under a 4.15 GB headroom (75.85 GB left),
  /// not under 4.16 (75.84 left), where microbatch 1 (55,486,185,472 bytes) wins. `explain
  /// --layouts` ranks with the config's headroom, as the plan does.
  static func config(headroom: String) -> String {
    """
    cluster:
      pools:
        - {name: h100, chip: H100-SXM5-80GB, nodes: 4, price_per_gpu_hour: 2}
    phases:
      - name: train
        pool: h100
        gpus: 32
        model: {layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256}
        seq_len: 4096
        global_batch: 256
        tokens: 1e9
        parallelism: {tp: auto, pp: auto, cp: auto, ep: auto, virtual_stages: auto, zero: auto, recompute: auto, schedule: auto, sequence_parallel: auto, uneven_pipeline: auto, memory_headroom_gb: \(headroom)}
    """
  }

  @Test(arguments: [
    ("0", 2, 75_841_142_784.0), ("4.15", 2, 75_841_142_784), ("4.16", 1, 55_486_185_472),
  ])
  func theSearchAndItsRankingKeepTheHeadroom(headroom: String, microbatch: Int, bytes: Double)
    throws
  {
    let plan = try ConfigLoader.parsePlan(yaml: Self.config(headroom: headroom), file: "x.yaml")
    let planned = try #require(plan.phases[0][0].training)
    let layout = planned.job.layout
    #expect(
      [layout.tensor, layout.pipeline, layout.context, layout.data, layout.zero] == [
        1, 1, 1, 32, 1,
      ])
    #expect(layout.recompute == .none)
    #expect(planned.estimate.microbatch == microbatch)
    #expect(planned.estimate.memory.totalBytes == bytes)
    let report = try LayoutReport(plan, phase: "train", keep: 3)
    let first = try #require(report.searches[0].result.ranked.first)
    #expect(first.estimate.stepSeconds == planned.estimate.stepSeconds)
    #expect(first.estimate.microbatch == microbatch)
    #expect(
      report.searches[0].result.ranked.allSatisfy {
        $0.estimate.memory.totalBytes <= (80 - (Double(headroom) ?? 0)) * 1e9
      })
  }

  /// No layout fits: the search's message says what the headroom leaves (0.1 of 80 GB; the
  /// smallest layout, ZeRO 3 over all 32 GPUs, needs 16P/32 = 4.0 GB of states alone).
  @Test func noLayoutMessageNamesTheHeadroom() throws {
    #expect(throws: ConfigError.self) {
      try ConfigLoader.parsePlan(yaml: Self.config(headroom: "79.9"), file: "x.yaml")
    }
    do {
      _ = try ConfigLoader.parsePlan(yaml: Self.config(headroom: "79.9"), file: "x.yaml")
    } catch {
      #expect(
        "\(error)".contains(
          "and H100-SXM5-80GB has 80, 0.1 after the 79.9 GB headroom; give the phase more GPUs"))
    }
  }
}
