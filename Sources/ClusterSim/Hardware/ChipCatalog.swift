/// The chips ClusterSim knows, in a fixed order; a config may add chips or override fields.
public struct ChipCatalog: Sendable, Hashable {
  /// The chips, in catalog order (built-ins first, then those a config added).
  public private(set) var chips: [Chip]

  public init(chips: [Chip]) {
    self.chips = chips
  }

  /// The chip named `name`, if any (exact, case-sensitive match).
  public subscript(name: String) -> Chip? {
    chips.first { $0.name == name }
  }

  /// Adds `chip`, or replaces the chip of the same name in place.
  public mutating func upsert(_ chip: Chip) {
    if let index = chips.firstIndex(where: { $0.name == chip.name }) {
      chips[index] = chip
    } else {
      chips.append(chip)
    }
  }

  /// The built-in catalog. Dense peaks are NVIDIA's "with sparsity" figures halved, except where
  /// a comment says NVIDIA quotes the dense figure itself; FP64 is never sparse.
  ///
  /// Sources: NVIDIA A100, H100 and H200 datasheets and product pages; for H800, DeepSeek,
  /// "Insights into DeepSeek-V3: Scaling Challenges and Reflections on Hardware for AI
  /// Architectures" (ISCA '25, arXiv 2505.09343) §4.1 and §4.3; for the Blackwell parts, the
  /// NVIDIA pages named at each (figures per GPU: a system's totals divided by its GPUs). Step-time
  /// constants: each chip's fit (`Efficiency+Fitted`); H200, never measured, carries H100's (the
  /// same compute die).
  public static let builtIn = ChipCatalog(chips: [
    // NVIDIA A100 Tensor Core GPU datasheet (SXM4 80GB; host link PCIe Gen4, 64 GB/s both
    // directions). NIC: DGX A100 / Selene, 8 x 200 Gb/s HDR InfiniBand per node (Narayanan et
    // al., SC '21 §5).
    Chip(
      name: "A100-SXM4-80GB",
      peakTFLOPS: [.fp64: 9.7, .fp64Tensor: 19.5, .tf32: 156, .bf16: 312, .fp16: 312],
      hbmGB: 80, hbmTBPerS: 2.039, nvlinkGBPerS: 600, nicGbps: 200, tdpWatts: 400,
      hostLinkGBPerS: 32, efficiency: .a100),
    // H800: H100 SXM5 compute with NVLink cut from 900 to 400 GB/s (ISCA '25 §4.1); 8 x 400 Gb/s
    // CX7 InfiniBand per node (§4.1). TDP: NVIDIA's H100 SXM figure (a 550 W figure also
    // circulates, unconfirmed).
    Chip(
      name: "H800-SXM5-80GB",
      peakTFLOPS: [.fp64: 1.0, .tf32: 494.5, .bf16: 989.5, .fp16: 989.5, .fp8: 1979],
      hbmGB: 80, hbmTBPerS: 3.35, nvlinkGBPerS: 400, nicGbps: 400, tdpWatts: 700,
      efficiency: .h800),
    // NVIDIA H100 Tensor Core GPU datasheet (SXM5 80GB); 400 Gb/s per GPU (ConnectX-7).
    Chip(
      name: "H100-SXM5-80GB",
      peakTFLOPS: [
        .fp64: 34, .fp64Tensor: 67, .tf32: 494.5, .bf16: 989.5, .fp16: 989.5, .fp8: 1979,
      ],
      hbmGB: 80, hbmTBPerS: 3.35, nvlinkGBPerS: 900, nicGbps: 400, tdpWatts: 700,
      efficiency: .h100),
    // NVIDIA H200 Tensor Core GPU product page (SXM 141GB): H100 compute, larger and faster HBM3e.
    Chip(
      name: "H200-SXM-141GB",
      peakTFLOPS: [
        .fp64: 34, .fp64Tensor: 67, .tf32: 494.5, .bf16: 989.5, .fp16: 989.5, .fp8: 1979,
      ],
      hbmGB: 141, hbmTBPerS: 4.8, nvlinkGBPerS: 900, nicGbps: 400, tdpWatts: 700,
      efficiency: .h100),
    ChipCatalog.b200, ChipCatalog.gb200NVL72, ChipCatalog.gb300NVL72, ChipCatalog.b300,
  ])
}
