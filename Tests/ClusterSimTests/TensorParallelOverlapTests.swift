import Foundation
import Testing

@testable import ClusterSim

/// Tensor-parallel communication overlapped with the layer's matrix multiplies
/// (`overlap_tp_comm`), against closed forms on an ideal chip.
@Suite struct TensorParallelOverlapTests {
  /// GPT 1.7B (l 24, h 2,304), s 2,048, one sequence, tp 2, unfused attention, no recomputation,
  /// on a chip whose multiplies run at the 312 TFLOP/s peak with free memory traffic.
  func estimate(overlap: Bool, fraction: Double = 0.75) throws -> StepEstimate {
    var chip = try StepTimeModelTests.ideal()
    chip.efficiency.tpOverlap = fraction
    let job = TrainingJob(
      model: StepTimeModelTests.gpt17B, seqLen: 2_048, globalBatch: 1, steps: 1,
      layout: ParallelLayout(tensor: 2, data: 1, microbatch: 1, zero: 0), precision: .bf16,
      attentionKernel: .unfused, overlapTensorParallel: overlap)
    return StepTimeModel(job: job, chip: chip).estimate(microbatch: 1)
  }

  /// Per layer and pass, two all-reduces of 2·T·h = 9,437,184 bytes over 2 ranks on A100 NVLink
  /// (240 GB/s, α 3.33 µs): 2 × (2α + B/β) = 91.9632 µs; the forward multiplies, 2·T·12h²/tp =
  /// 12 × 2,048 × 2,304² FLOPs at 312e12 FLOP/s, take 418.14 µs, the backward's twice that.
  static let allReducesPerPass = 2 * (2 * 3.33e-6 + 9_437_184 / 240e9)
  static let forwardGEMMSeconds = 12 * 2_048 * 2_304.0 * 2_304 / 312e12

  /// Without overlap all 24 layers × 2 passes of it are exposed.
  @Test func exposedWithoutOverlap() throws {
    let tp = try estimate(overlap: false).breakdown.tensorParallel
    #expect(abs(tp.exposedSeconds - 48 * Self.allReducesPerPass) < 1e-12)
    #expect(tp.hiddenSeconds == 0)
  }

  /// At the default 3/4, 313.6 µs of window per forward exceed the 92.0 µs: all hidden, and the
  /// step is shorter by exactly that.
  @Test func hiddenBehindThreeQuartersOfTheGEMMs() throws {
    let off = try estimate(overlap: false)
    let on = try estimate(overlap: true)
    #expect(on.breakdown.tensorParallel.exposedSeconds == 0)
    #expect(abs(on.breakdown.tensorParallel.hiddenSeconds - 48 * Self.allReducesPerPass) < 1e-12)
    #expect(abs(off.stepSeconds - on.stepSeconds - 48 * Self.allReducesPerPass) < 1e-12)
  }

  /// At a fraction of 0.1 the window is 41.8 µs forward and 83.6 µs backward, both short of the
  /// 92.0 µs: exposed 24 × (2 × 91.9632 − 0.1 × 3 × 418.14) µs.
  @Test func partlyExposedWhenTheWindowIsShort() throws {
    let tp = try estimate(overlap: true, fraction: 0.1).breakdown.tensorParallel
    let exposed = 24 * (2 * Self.allReducesPerPass - 0.1 * 3 * Self.forwardGEMMSeconds)
    #expect(abs(tp.exposedSeconds - exposed) < 1e-12)
    #expect(abs(tp.exposedSeconds + tp.hiddenSeconds - 48 * Self.allReducesPerPass) < 1e-12)
  }

  /// `overlap_tp_comm` and `etp` reach the planned job (an MoE of 8 experts, tp 2, etp 1).
  @Test func configKeysReachTheJob() throws {
    let yaml = TrainingConfigTests.valid
      .replacingOccurrences(
        of: "{layers: 24, hidden: 2048, heads: 16, vocab: 50304}",
        with: "{kind: moe, layers: 24, hidden: 2048, heads: 16, vocab: 50304, routed_experts: 8, "
          + "experts_per_token: 2, expert_ffn: 1024}"
      )
      .replacingOccurrences(
        of: "      zero: 1", with: "      zero: 1\n      etp: 1\n      overlap_tp_comm: true")
    let program = try ConfigLoader.parse(yaml: yaml, file: "configs/x.yaml")
    let job = try #require(try Planner(program).plan().phases[0][0].training).job
    #expect(job.overlapTensorParallel)
    #expect(job.layout.expertTensor == 1)
    #expect(job.layout.expertData == 2 * 16)
  }
}
