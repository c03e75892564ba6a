/// One accelerator model: its dense peak throughput per precision, memory and links.
///
/// Bandwidths follow the vendor's conventions (see `ChipCatalog` for the sources): NVLink is the
/// total per GPU with both directions added; the NIC figure is per GPU, in gigabits per second.
/// Peaks are quoted per peak format only (`Precision.isPeakFormat`); a training recipe such as
/// `mxfp8` runs at the peak of its format (`peakFLOPS(_:)`).
public struct Chip: Sendable, Hashable {
  /// The catalog name, e.g. `H800-SXM5-80GB`.
  public var name: String
  /// Dense (non-sparse) tensor-core peak per precision, in TFLOPS (1e12 FLOP/s).
  public var peakTFLOPS: [Precision: Double]
  /// HBM capacity in GB (1e9 bytes).
  public var hbmGB: Double
  /// HBM bandwidth in TB/s (1e12 bytes/s).
  public var hbmTBPerS: Double
  /// NVLink bandwidth per GPU, both directions added, in GB/s.
  public var nvlinkGBPerS: Double
  /// Scale-out network bandwidth per GPU, in Gb/s (1e9 bits/s).
  public var nicGbps: Double
  /// Thermal design power, in watts.
  public var tdpWatts: Double
  /// GPUs one NVLink fabric joins: 8 for an HGX/DGX baseboard (one node), 72 for a GB200 or
  /// GB300 NVL72 rack, whose NVLink switch trays join its 18 compute trays of 4 GPUs.
  public var nvlinkDomainGPUs: Int
  /// The GPU's link to host memory, per direction, in GB/s: what activation offloading
  /// (`parallelism.activation_offload_layers`) copies over. PCIe Gen5 x16 (64) unless the catalog
  /// or a config says otherwise.
  public var hostLinkGBPerS: Double
  /// The fractions of these figures real kernels and collectives reach (the step-time model's
  /// constants).
  public var efficiency: Efficiency

  public init(
    name: String, peakTFLOPS: [Precision: Double], hbmGB: Double, hbmTBPerS: Double,
    nvlinkGBPerS: Double, nicGbps: Double, tdpWatts: Double,
    nvlinkDomainGPUs: Int = Chip.defaultNVLinkDomainGPUs,
    hostLinkGBPerS: Double = Chip.defaultHostLinkGBPerS, efficiency: Efficiency = .uncalibrated
  ) {
    self.name = name
    self.peakTFLOPS = peakTFLOPS
    self.hbmGB = hbmGB
    self.hbmTBPerS = hbmTBPerS
    self.nvlinkGBPerS = nvlinkGBPerS
    self.nicGbps = nicGbps
    self.tdpWatts = tdpWatts
    self.nvlinkDomainGPUs = nvlinkDomainGPUs
    self.hostLinkGBPerS = hostLinkGBPerS
    self.efficiency = efficiency
  }

  /// The dense peak for `precision` in FLOP/s: the peak of its format (`fp8` for `mxfp8`), or nil
  /// when the chip has no such tensor-core path.
  public func peakFLOPS(_ precision: Precision) -> Double? {
    peakTFLOPS[precision.peakFormat].map { $0 * 1e12 }
  }

  /// The precisions this chip has a peak for, widest first.
  public var precisions: [Precision] { peakTFLOPS.keys.sorted() }

  /// A GPU's host link unless the catalog or a config says otherwise: PCIe Gen5 x16, 64 GB/s per
  /// direction (PCI-SIG PCIe 5.0: 32 GT/s per lane, 16 lanes, 128b/130b encoding, rounded as
  /// NVIDIA's H100 datasheet rounds its "PCIe Gen5: 128 GB/s" for both directions).
  public static let defaultHostLinkGBPerS = 64.0

  /// The NVLink domain a chip has unless its config says otherwise: one 8-GPU HGX baseboard.
  public static let defaultNVLinkDomainGPUs = 8

  /// The largest NVLink domain a config may give: NVIDIA's largest NVLink switch system,
  /// 576 GPUs (NVLink 5, GB200; NVIDIA GB200 NVL72 product page).
  public static let maximumNVLinkDomainGPUs = 576

  /// GPUs that reach each other over NVLink in a pool of `gpusPerNode` per node: the chip's
  /// NVLink domain when it joins several nodes, else the node. A domain joins nodes only in a
  /// rack-scale system, where it is larger than one 8-GPU baseboard (NVL72's NVLink switch trays
  /// join 4-GPU compute trays); a baseboard split into smaller nodes (cloud instances of 4 GPUs)
  /// is one NVLink partition per node, so its nodes meet over the network.
  public func nvlinkGPUs(gpusPerNode: Int) -> Int {
    nvlinkDomainGPUs > max(gpusPerNode, Self.defaultNVLinkDomainGPUs)
      ? nvlinkDomainGPUs : gpusPerNode
  }
}
