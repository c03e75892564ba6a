import Testing

@testable import ClusterSim

@Suite struct CatalogTests {
  /// The built-in catalog against the datasheet figures (dense = sparse figure halved).
  @Test func builtInValues() throws {
    let catalog = ChipCatalog.builtIn
    #expect(catalog.chips.map(\.name) == [
      "A100-SXM4-80GB", "H800-SXM5-80GB", "H100-SXM5-80GB", "H200-SXM-141GB", "B200-SXM-180GB",
    ])
    let a100 = try #require(catalog["A100-SXM4-80GB"])
    #expect(a100.peakFLOPS(.bf16) == 312e12)
    #expect(a100.peakFLOPS(.fp8) == nil)
    #expect(a100.hbmGB == 80 && a100.hbmTBPerS == 2.039)
    #expect(a100.nvlinkGBPerS == 600 && a100.nicGbps == 200 && a100.tdpWatts == 400)
    let h800 = try #require(catalog["H800-SXM5-80GB"])
    #expect(h800.peakTFLOPS[.bf16] == 989.5 && h800.peakTFLOPS[.fp8] == 1979)
    #expect(h800.nvlinkGBPerS == 400 && h800.nicGbps == 400)
    let h100 = try #require(catalog["H100-SXM5-80GB"])
    #expect(h100.nvlinkGBPerS == 900 && h100.peakTFLOPS[.fp64Tensor] == 67)
    let h200 = try #require(catalog["H200-SXM-141GB"])
    #expect(h200.hbmGB == 141 && h200.hbmTBPerS == 4.8)
    let b200 = try #require(catalog["B200-SXM-180GB"])
    #expect(b200.peakTFLOPS[.fp4] == 9000 && b200.peakTFLOPS[.bf16] == 2250 && b200.tdpWatts == 1000)
  }

  @Test func configOverridesAndAddsChips() throws {
    let yaml = """
      chips:
        H800-SXM5-80GB:
          tdp_w: 550
          tflops: {bf16: 900}
        X1:
          tflops: {bf16: 100, fp8: 200}
          hbm_gb: 48
          hbm_tb_per_s: 1
          nvlink_gb_per_s: 100
          nic_gbps: 100
          tdp_w: 300
      cluster:
        pools:
          - {name: x, chip: X1, nodes: 1, price_per_gpu_hour: 1}
      phases:
        - {name: p, pool: x, gpus: 8, hours: 1}
      """
    let program = try ConfigLoader.parse(yaml: yaml, file: "c.yaml")
    let h800 = try #require(program.catalog["H800-SXM5-80GB"])
    #expect(h800.tdpWatts == 550)
    #expect(h800.peakTFLOPS[.bf16] == 900)
    #expect(h800.peakTFLOPS[.fp8] == 1979)  // untouched fields stay
    #expect(program.catalog.chips.last?.name == "X1")
    #expect(program.pools[0].chip.peakFLOPS(.fp8) == 200e12)
    #expect(ChipCatalog.builtIn["H800-SXM5-80GB"]?.tdpWatts == 700)  // the built-in is unchanged
  }
}
