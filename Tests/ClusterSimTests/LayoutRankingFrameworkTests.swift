import Testing

@testable import ClusterSim

/// `explain --layouts` ranks with the config's framework keys (issue 26's bug): with
/// `grad_reduce: fp32` and `overlap_grad_reduce: false`, its fastest layout is priced exactly as
/// the planner's `parallelism` search prices its pick, and slower than the same search with the
/// defaults (bf16 gradients, overlapped), whose exchange is half the bytes and hidden.
@Suite struct LayoutRankingFrameworkTests {
  static func config(_ framework: String) -> String {
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
        parallelism: {tp: auto, pp: auto, cp: auto, ep: auto, virtual_stages: auto, zero: auto, recompute: auto, schedule: auto, sequence_parallel: auto, uneven_pipeline: auto\(framework)}
    """
  }

  static func ranking(_ framework: String) throws -> (planned: Double, ranked: Double) {
    let plan = try ConfigLoader.parsePlan(yaml: config(framework), file: "x.yaml")
    let planned = try #require(plan.phases[0][0].training).estimate.stepSeconds
    let report = try LayoutReport(plan, phase: "train", keep: 3)
    let ranked = try #require(report.searches[0].result.ranked.first).estimate.stepSeconds
    return (planned, ranked)
  }

  @Test func theRankingUsesTheConfigsFrameworkKeys() throws {
    let framework = try Self.ranking(", grad_reduce: fp32, overlap_grad_reduce: false")
    let defaults = try Self.ranking("")
    #expect(framework.ranked == framework.planned)
    #expect(defaults.ranked == defaults.planned)
    #expect(framework.ranked > defaults.ranked)
  }
}
