/// One step-time constant `clustersim calibrate` may fit: a field of a chip's `Efficiency`, named as
/// under `chips.NAME.efficiency` in a config (`gemm.bf16`, `expert_gemm`, `network`, ...).
public struct CalibrationKey: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The config name: `gemm.PRECISION` or one of `scalars`' names.
  public let name: String
  let field: Field

  enum Field: Sendable, Hashable {
    case gemm(Precision)
    case scalar(String, fraction: Bool)
  }

  /// The scalar constants by config name (`EfficiencyKey`), alphabetically, with whether each is a
  /// fraction of a datasheet figure (bounded by 1). Their meaning is in `Efficiency` and
  /// docs/model.md.
  static var scalars: [(name: String, fraction: Bool)] {
    EfficiencyKey.scalars.filter { !unfitted.contains($0.name) }
      .map { ($0.name, $0.isFraction) }.sorted { $0.name < $1.name }
  }

  /// Keys `--fit` does not take: inference's constants, which no training step uses, and the
  /// link latencies.
  static let unfitted: Set<String> = [
    "decode_layer_overhead_us", "network_latency_us", "nvlink_latency_us", "prefill",
  ]

  /// The field of `Efficiency` a scalar name stands for.
  static func path(_ name: String) -> WritableKeyPath<Efficiency, Double> {
    EfficiencyKey.named(name)!.path
  }

  /// Every name `--fit` accepts: `gemm` (each precision the chip's cases use), `gemm.PRECISION`,
  /// and the scalars.
  public static var names: [String] {
    ["gemm"] + Precision.allCases.map { "gemm.\($0.name)" } + scalars.map(\.name)
  }

  /// The key named `name`, or nil (`gemm` alone is a family, expanded per chip by the caller).
  public init?(_ name: String) {
    if name.hasPrefix("gemm."), let precision = Precision(rawValue: String(name.dropFirst(5))) {
      self.name = name
      field = .gemm(precision)
      return
    }
    guard let scalar = Self.scalars.first(where: { $0.name == name }) else { return nil }
    self.name = name
    field = .scalar(scalar.name, fraction: scalar.fraction)
  }

  /// The gemm efficiency of `precision`.
  public static func gemm(_ precision: Precision) -> CalibrationKey {
    CalibrationKey("gemm.\(precision.name)")!
  }

  /// Where a fit of this key starts when its value is 0 (a cost the constants do not count by
  /// default): a typical size of it (100 µs of MoE-layer overhead, Megatron-Core's 4 permutation
  /// passes), else 1.
  var seed: Double {
    switch name {
    case "moe_layer_overhead_us": 100
    case "expert_permute_passes": 4
    default: 1
    }
  }

  /// Whether the value is a fraction of a datasheet figure, at most 1.
  var isFraction: Bool {
    switch field {
    case .gemm: true
    case .scalar(_, let fraction): fraction
    }
  }

  /// The key's value in `efficiency` (a recipe the chip has no figure for reads as its peak
  /// format's, as the step-time model reads it).
  func value(in efficiency: Efficiency) -> Double {
    switch field {
    case .gemm(let precision): efficiency.gemm(for: precision) ?? efficiency.gemm[.bf16] ?? 0.5
    case .scalar(let name, _): efficiency[keyPath: Self.path(name)]
    }
  }

  func set(_ value: Double, in efficiency: inout Efficiency) {
    switch field {
    case .gemm(let precision): efficiency.gemm[precision] = value
    case .scalar(let name, _): efficiency[keyPath: Self.path(name)] = value
    }
  }

  public var description: String { name }

  public static func < (a: CalibrationKey, b: CalibrationKey) -> Bool { a.name < b.name }
}
