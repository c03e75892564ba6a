/// A numeric format for tensor-core math; chips quote a dense peak per precision.
public enum Precision: String, CaseIterable, Sendable, Hashable, Comparable {
  case fp64
  case fp64Tensor = "fp64_tensor"
  case tf32
  case bf16
  case fp16
  case fp8
  case fp4

  /// The name used in configs and output (`bf16`, `fp64_tensor`, ...).
  public var name: String { rawValue }

  public static func < (lhs: Precision, rhs: Precision) -> Bool {
    Precision.order(lhs) < Precision.order(rhs)
  }
}

extension Precision {
  /// Position in `allCases`, from the widest format to the narrowest.
  fileprivate static func order(_ precision: Precision) -> Int {
    switch precision {
    case .fp64: 0
    case .fp64Tensor: 1
    case .tf32: 2
    case .bf16: 3
    case .fp16: 4
    case .fp8: 5
    case .fp4: 6
    }
  }
}
