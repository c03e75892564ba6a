/// One accelerator model: its dense peak throughput per precision, memory and links.
///
/// Bandwidths follow the vendor's conventions (see `ChipCatalog` for the sources): NVLink is the
/// total per GPU with both directions added; the NIC figure is per GPU, in gigabits per second.
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
  /// The fractions of these figures real kernels and collectives reach (the step-time model's
  /// constants).
  public var efficiency: Efficiency

  public init(
    name: String, peakTFLOPS: [Precision: Double], hbmGB: Double, hbmTBPerS: Double,
    nvlinkGBPerS: Double, nicGbps: Double, tdpWatts: Double,
    efficiency: Efficiency = .uncalibrated
  ) {
    self.name = name
    self.peakTFLOPS = peakTFLOPS
    self.hbmGB = hbmGB
    self.hbmTBPerS = hbmTBPerS
    self.nvlinkGBPerS = nvlinkGBPerS
    self.nicGbps = nicGbps
    self.tdpWatts = tdpWatts
    self.efficiency = efficiency
  }

  /// The dense peak for `precision` in FLOP/s, or nil when the chip has no such tensor-core path.
  public func peakFLOPS(_ precision: Precision) -> Double? {
    peakTFLOPS[precision].map { $0 * 1e12 }
  }

  /// The precisions this chip has a peak for, widest first.
  public var precisions: [Precision] { peakTFLOPS.keys.sorted() }
}
