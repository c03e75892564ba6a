import Testing

@testable import ClusterSim

/// The layout search prefers layouts inside the calibrated region: with `parallelism: auto` the
/// pick is the fastest layout whose every feature the calibration measured, even where a layout
/// outside is predicted faster; `extrapolate: true` ranks by speed alone.
@Suite struct CalibratedRegionSearchTests {
  /// A small dense model on 8 A100 (the search's test model in `LayoutSearchTests`): by speed
  /// alone, ZeRO 2 wins (as fast as ZeRO 1, less memory); the region's ZeRO stages are 0 and 1,
  /// so the preferring search picks ZeRO 1, the fastest inside.
  @Test func theSearchPicksTheFastestLayoutInsideTheRegion() throws {
    let chip = try #require(ChipCatalog.builtIn["A100-SXM4-80GB"])
    let model = TransformerModel(layers: 4, hidden: 512, heads: 8, vocab: 1024)
    func search(extrapolate: Bool) -> LayoutSearch.Result {
      var layout = LayoutSpec.auto
      layout.extrapolate = extrapolate
      let spec = TrainingSpec(
        model: model, seqLen: 1024, globalBatch: 256, steps: 1, layout: layout)
      return LayoutSearch(spec: spec, precision: .bf16, chip: chip, gpusPerNode: 8, gpus: 8)
        .run(keep: 400)
    }
    let free = search(extrapolate: true)
    let preferring = search(extrapolate: false)
    let fastest = try #require(free.ranked.first)
    let pick = try #require(preferring.ranked.first)
    #expect(!fastest.outside.isEmpty)
    #expect(pick.outside.isEmpty)
    #expect(CalibratedRegion.builtIn.zeroStages.contains(pick.layout.zero))
    #expect(pick.layout != fastest.layout)
    #expect(pick.estimate.stepSeconds >= fastest.estimate.stepSeconds)
    // The pick is the fastest of the free ranking's layouts that are inside the region.
    let inside = try #require(free.ranked.first { $0.outside.isEmpty })
    #expect(inside.estimate.stepSeconds == pick.estimate.stepSeconds)
    // Outside layouts rank only after every inside one.
    let firstOutside =
      preferring.ranked.firstIndex { !$0.outside.isEmpty } ?? preferring.ranked.count
    #expect(preferring.ranked[firstOutside...].allSatisfy { !$0.outside.isEmpty })
  }

  /// What is outside is named: a ZeRO stage and a cp beyond the measured ones, and a precision
  /// no case measured on the chip.
  @Test func outsideFeaturesAreNamed() {
    let region = CalibratedRegion(
      schedules: [.interleaved], zeroStages: [1], maximumTensor: 8, maximumPipeline: 16,
      maximumContext: 2, maximumExpert: 64, precisions: ["H100-SXM5-80GB": [.bf16]])
    let layout = ParallelLayout(
      tensor: 4, pipeline: 4, context: 4, data: 8, zero: 2, schedule: .zeroBubble)
    #expect(
      region.outside(layout, precision: .fp8, chip: "H100-SXM5-80GB")
        == ["fp8 on H100-SXM5-80GB", "zero-bubble schedule", "ZeRO 2", "cp 4 > 2"])
    #expect(region.outside(ParallelLayout(tensor: 8, pipeline: 1, data: 4)) == [])
  }
}
