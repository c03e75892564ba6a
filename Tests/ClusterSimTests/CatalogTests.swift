import Testing

@testable import ClusterSim

@Suite struct CatalogTests {
  /// The built-in catalog against the datasheet figures (dense = sparse figure halved).
  @Test func builtInValues() throws {
    let catalog = ChipCatalog.builtIn
    #expect(catalog.chips.map(\.name) == [
      "A100-SXM4-80GB", "H800-SXM5-80GB", "H100-SXM5-80GB", "H200-SXM-141GB", "B200-SXM-180GB",
      "GB200-NVL72-186GB", "GB300-NVL72-288GB", "B300-SXM-288GB",
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
    #expect(catalog.chips.prefix(5).allSatisfy { $0.nvlinkDomainGPUs == 8 })
  }

  /// The Blackwell parts against NVIDIA's figures, per GPU: a system's "with sparsity" totals
  /// over its GPUs, halved (FP64 and the quoted dense FP4 figures not halved).
  @Test func blackwellFromTheDatasheets() throws {
    let catalog = ChipCatalog.builtIn
    // DGX B200: 8 GPUs, 1,440 GB at 64 TB/s, FP8 72 and FP4 144 PFLOPS sparse, 14.4 TB/s NVLink;
    // HGX B200: FP16/BF16 36 PFLOPS sparse.
    let b200 = try #require(catalog["B200-SXM-180GB"])
    #expect(b200.hbmGB == 1440.0 / 8 && b200.hbmTBPerS == 64.0 / 8)
    #expect(b200.peakTFLOPS[.fp8] == 72_000.0 / 8 / 2 && b200.peakTFLOPS[.fp4] == 144_000.0 / 8 / 2)
    #expect(b200.peakTFLOPS[.bf16] == 36_000.0 / 8 / 2 && b200.nvlinkGBPerS == 14_400.0 / 8)
    #expect(b200.nicGbps == 400 && b200.nvlinkDomainGPUs == 8)
    // GB200 NVL72, per superchip of two GPUs: FP4 40, FP8 20, BF16 10, TF32 5 PFLOPS sparse,
    // FP64 80 TFLOPS, 372 GB at 16 TB/s, 3.6 TB/s NVLink.
    let gb200 = try #require(catalog["GB200-NVL72-186GB"])
    #expect(gb200.peakTFLOPS[.fp4] == 40_000.0 / 2 / 2 && gb200.peakTFLOPS[.fp8] == 20_000.0 / 2 / 2)
    #expect(gb200.peakTFLOPS[.bf16] == 10_000.0 / 2 / 2 && gb200.peakTFLOPS[.tf32] == 5_000.0 / 2 / 2)
    #expect(gb200.peakTFLOPS[.fp64] == 80.0 / 2)
    #expect(gb200.hbmGB == 372.0 / 2 && gb200.hbmTBPerS == 16.0 / 2)
    #expect(gb200.nvlinkGBPerS == 3_600.0 / 2 && gb200.nvlinkDomainGPUs == 72)
    #expect(gb200.nicGbps == 400 && gb200.tdpWatts == 1200)
    // GB300 NVL72, per rack of 72: FP4 1,080 PFLOPS dense, FP8 720, BF16 360, TF32 180 PFLOPS
    // sparse, 576 TB/s HBM; 800 Gb/s ConnectX-8 per GPU; 288 GB per GPU, 1,400 W.
    let gb300 = try #require(catalog["GB300-NVL72-288GB"])
    #expect(gb300.peakTFLOPS[.fp4] == 1_080_000.0 / 72 && gb300.peakTFLOPS[.fp8] == 720_000.0 / 72 / 2)
    #expect(gb300.peakTFLOPS[.bf16] == 360_000.0 / 72 / 2 && gb300.peakTFLOPS[.tf32] == 180_000.0 / 72 / 2)
    #expect(abs((gb300.peakTFLOPS[.fp64] ?? 0) - 100.0 / 72) < 0.005)
    #expect(gb300.hbmTBPerS == 576.0 / 72 && gb300.hbmGB == 288 && gb300.nvlinkDomainGPUs == 72)
    #expect(gb300.nicGbps == 800 && gb300.tdpWatts == 1400)
    // Blackwell Ultra: NVFP4 dense peak up 1.5× on GB200's, FP64 cut.
    #expect(gb300.peakFLOPS(.nvfp4)! == 1.5 * gb200.peakFLOPS(.nvfp4)!)
    #expect(gb300.peakTFLOPS[.fp64]! < gb200.peakTFLOPS[.fp64]! / 20)
    // HGX B300, 8 GPUs: FP4 108 PFLOPS dense, FP8 72, BF16 36, TF32 18 PFLOPS sparse, FP64 10
    // TFLOPS, 8 × 800 Gb/s.
    let b300 = try #require(catalog["B300-SXM-288GB"])
    #expect(b300.peakTFLOPS[.fp4] == 108_000.0 / 8 && b300.peakTFLOPS[.fp8] == 72_000.0 / 8 / 2)
    #expect(b300.peakTFLOPS[.bf16] == 36_000.0 / 8 / 2 && b300.peakTFLOPS[.tf32] == 18_000.0 / 8 / 2)
    #expect(b300.peakTFLOPS[.fp64] == 10.0 / 8 && b300.hbmGB == 288 && b300.nicGbps == 800)
    #expect(b300.nvlinkDomainGPUs == 8 && b300.nvlinkGBPerS == 1800)
    // Each carries its own fit (CalibratedCatalogTests checks the values against the fit).
    for chip in [b200, gb200, gb300, b300] { #expect(chip.efficiency != .uncalibrated) }
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
