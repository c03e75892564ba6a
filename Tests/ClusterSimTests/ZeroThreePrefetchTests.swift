import Testing

@testable import ClusterSim

/// ZeRO-3/FSDP gathers prefetched one layer ahead: hidden only behind the layer before each
/// gather, the first of each pass exposed.
@Suite struct ZeroThreePrefetchTests {
  /// GPT 1.7B (24 layers, 1,764,753,408 parameters) on 8 A100s at ZeRO-3, bf16 gradients.
  func model() throws -> StepTimeModel {
    let job = TrainingJob(
      model: StepTimeModelTests.gpt17B, seqLen: 2_048, globalBatch: 8, steps: 1,
      layout: ParallelLayout(data: 8, microbatch: 1, zero: 3))
    return StepTimeModel(job: job, chip: try StepTimeModelTests.a100())
  }

  /// One gather of the bf16 weights over 8 GPUs on NVLink (240 GB/s, α 3.33 µs):
  /// 7α + 7/8 × 2 × 1,764,753,408 B / 240e9 = 12.8913036 ms; g = G/24 per layer; the gradients'
  /// reduce-scatter (bf16) costs the same.
  static let gather = 7 * 3.33e-6 + 7.0 / 8 * 2 * 1_764_753_408 / 240e9

  /// A forward of half a gather per layer and a long backward: forward exposes the first layer's
  /// g and half of each of the other 23, 12.5 g; backward the first gather and the last reduce,
  /// 2 g; the other 23 × 2 g + 23 × g/2 = 57.5 g hidden: 72 g = 3G in all.
  @Test func firstGatherExposedTheRestBehindOneLayer() throws {
    let g = Self.gather / 24
    var one = MicrobatchSeconds()
    one.forwardCompute = 24 * g / 2
    one.backwardCompute = 1_000
    let dp = try model().dataParallel(one, microbatches: 1)
    #expect(abs(dp.exposedSeconds - 14.5 * g) < 1e-12)
    #expect(abs(dp.hiddenSeconds - 57.5 * g) < 1e-12)
  }

  /// Without overlap, or with no compute to hide behind, every gather is exposed: 3G per
  /// microbatch, times the microbatches.
  @Test func nothingHiddenWithoutAWindow() throws {
    let dp = try model().dataParallel(MicrobatchSeconds(), microbatches: 4)
    #expect(abs(dp.exposedSeconds - 4 * 3 * Self.gather) < 1e-12)
    #expect(dp.hiddenSeconds == 0)
  }
}
