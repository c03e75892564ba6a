import Testing

@testable import ClusterSim

/// `moe_layer_overhead_us`: a fixed cost per MoE layer and microbatch, once forward and twice
/// backward, added to nothing else. On one GPU (no communication to hide behind it) with 4 MoE
/// layers and 4 microbatches, 100 µs adds 4 layers × 4 microbatches × 3 × 100 µs = 4.8 ms to the
/// step exactly.
@Suite struct MoELayerOverheadTests {
  static func config(overhead: String) -> String {
    """
    chips:
      H100-SXM5-80GB: {efficiency: {moe_layer_overhead_us: \(overhead)}}
    cluster:
      pools:
        - {name: h100, chip: H100-SXM5-80GB, nodes: 1, price_per_gpu_hour: 2}
    phases:
      - name: moe
        pool: h100
        gpus: 1
        precision: bf16
        model: {kind: moe, layers: 4, hidden: 1024, heads: 8, vocab: 32000, routed_experts: 8, experts_per_token: 2, expert_ffn: 512}
        seq_len: 2048
        global_batch: 4
        steps: 1
        parallelism: {tp: 1, pp: 1, microbatch: 1}

    """
  }

  static func stepSeconds(overhead: String) throws -> Double {
    let plan = try ConfigLoader.parsePlan(yaml: config(overhead: overhead), file: "m.yaml")
    return try #require(plan.phases[0][0].training).estimate.stepSeconds
  }

  @Test func overheadAddsOnceForwardTwiceBackwardPerLayerAndMicrobatch() throws {
    let without = try Self.stepSeconds(overhead: "0")
    let with = try Self.stepSeconds(overhead: "100")
    #expect(abs((with - without) - 4 * 4 * 3 * 100e-6) < 1e-12)
  }

  @Test func negativeOverheadIsALocatedError() {
    #expect(throws: ConfigError.self) {
      try Self.stepSeconds(overhead: "-1")
    }
  }
}
