/// One scalar step-time constant as a config writes it under `chips.NAME.efficiency`: its name,
/// the `Efficiency` field it sets, the values it takes and its unit. The one list of these keys:
/// the config reader, `clustersim catalog --format json` and `clustersim calibrate` all read it.
struct EfficiencyKey {
  /// The values a key takes.
  enum Range {
    /// A fraction of a datasheet figure, in (0, 1].
    case fraction
    case positive(ConfigBound)
    case nonNegative(ConfigBound)
  }

  let name: String
  let path: WritableKeyPath<Efficiency, Double>
  let range: Range
  /// `Efficiency`'s units per config unit: 1e9 for GFLOPs, 1e3 for kFLOPs, else 1.
  var scale: Double = 1

  /// Every scalar key, in the order `clustersim catalog --format json` writes them (its
  /// `efficiency.gemm` mapping, read apart, comes first).
  static var scalars: [EfficiencyKey] {
    [
      EfficiencyKey(
        name: "gemm_half_gflops", path: \.gemmHalfFLOPs, range: .positive(.gigaflops), scale: 1e9),
      EfficiencyKey(name: "expert_gemm", path: \.expertGEMM, range: .fraction),
      EfficiencyKey(
        name: "expert_gemm_half_gflops", path: \.expertGEMMHalfFLOPs, range: .positive(.gigaflops),
        scale: 1e9),
      EfficiencyKey(
        name: "expert_permute_passes", path: \.expertPermutePasses,
        range: .nonNegative(.memoryPasses)),
      EfficiencyKey(
        name: "moe_layer_overhead_us", path: \.moeLayerOverheadUS,
        range: .nonNegative(.microseconds)),
      EfficiencyKey(name: "hbm", path: \.hbm, range: .fraction),
      EfficiencyKey(name: "nvlink", path: \.nvlink, range: .fraction),
      EfficiencyKey(name: "network", path: \.network, range: .fraction),
      EfficiencyKey(
        name: "nvlink_latency_us", path: \.nvlinkLatencyUS, range: .positive(.microseconds)),
      EfficiencyKey(
        name: "network_latency_us", path: \.networkLatencyUS, range: .positive(.microseconds)),
      EfficiencyKey(name: "prefill", path: \.prefill, range: .fraction),
      EfficiencyKey(
        name: "decode_layer_overhead_us", path: \.decodeLayerOverheadUS,
        range: .nonNegative(.microseconds)),
      EfficiencyKey(name: "tp_overlap", path: \.tpOverlap, range: .fraction),
      EfficiencyKey(name: "attention", path: \.attention, range: .fraction),
      EfficiencyKey(
        name: "attention_half_row_kflops", path: \.attentionHalfRowFLOPs,
        range: .positive(.kiloflops), scale: 1e3),
      EfficiencyKey(name: "attention_backward", path: \.attentionBackward, range: .fraction),
    ]
  }

  /// The key named `name`, if any.
  static func named(_ name: String) -> EfficiencyKey? {
    scalars.first { $0.name == name }
  }

  var isFraction: Bool {
    if case .fraction = range { return true }
    return false
  }

  /// The key's value in `efficiency`, in the config's unit.
  func configValue(in efficiency: Efficiency) -> Double {
    efficiency[keyPath: path] / scale
  }

  /// Reads `field` into `efficiency`, or reports why it cannot; false when it cannot.
  func read(
    _ field: ConfigValue, into efficiency: inout Efficiency, _ diagnostics: inout ConfigDiagnostics
  ) -> Bool {
    let number: Double? =
      switch range {
      case .fraction: field.fraction(&diagnostics)
      case .positive(let bound): field.positiveNumber(atMost: bound, &diagnostics)
      case .nonNegative(let bound): field.nonNegativeNumber(atMost: bound, &diagnostics)
      }
    guard let number else { return false }
    efficiency[keyPath: path] = number * scale
    return true
  }
}
