/// A numeric format for tensor-core math: either a format a chip quotes a dense peak for (`bf16`,
/// `fp8`, `fp4`, ...) or a low-precision training recipe that runs on one of those peaks with its
/// own scaling (`fp8_blockwise`, `mxfp8`, `nvfp4`).
///
/// A phase's `precision:` may be any of them; a chip's `tflops:` only the peak formats
/// (`isPeakFormat`); a chip's `efficiency.gemm` may give each its own fraction. `fp8` is FP8
/// with per-tensor scaling (NVIDIA's "FP8 current scaling"; how an unstated "FP8" is read).
public enum Precision: String, CaseIterable, Sendable, Hashable, Comparable {
  case fp64
  case fp64Tensor = "fp64_tensor"
  case tf32
  case bf16
  case fp16
  case fp8
  case fp4
  /// FP8 (E4M3) with one FP32 scale per 1×128 activation tile and per 128×128 weight block
  /// (DeepSeek-V3 technical report, arXiv 2412.19437, §3.3, "fine-grained quantization").
  case fp8Blockwise = "fp8_blockwise"
  /// MXFP8: FP8 elements sharing one E8M0 (power-of-two) scale per block of 32 (OCP
  /// Microscaling Formats (MX) Specification v1.0, its concrete MX-compliant formats).
  case mxfp8
  /// NVFP4: FP4 (E2M1) elements with one FP8 (E4M3) scale per block of 16, and one FP32 scale per
  /// tensor (NVIDIA, "Introducing NVFP4 for Efficient and Accurate Low-Precision Inference",
  /// developer blog, June 2025; NVIDIA, "Pretraining Large Language Models with NVFP4", arXiv
  /// 2509.25149).
  case nvfp4

  /// The name used in configs and output (`bf16`, `fp64_tensor`, `mxfp8`, ...).
  public var name: String { rawValue }

  public static func < (lhs: Precision, rhs: Precision) -> Bool {
    Precision.order(lhs) < Precision.order(rhs)
  }
}

extension Precision {
  /// The format whose dense peak the math runs at: the recipe's element format (`fp8` for
  /// `fp8_blockwise` and `mxfp8`, `fp4` for `nvfp4`); a peak format is its own.
  public var peakFormat: Precision {
    switch self {
    case .fp64, .fp64Tensor, .tf32, .bf16, .fp16, .fp8, .fp4: self
    case .fp8Blockwise, .mxfp8: .fp8
    case .nvfp4: .fp4
    }
  }

  /// Whether a chip may quote a peak for it (`tflops:` keys): false for the scaling recipes.
  public var isPeakFormat: Bool { peakFormat == self }

  /// The formats a chip may quote a peak for, widest first.
  public static let peakFormats = allCases.filter(\.isPeakFormat)

  /// Bytes of one stored element, scale factors not counted.
  public var elementBytes: Double {
    switch peakFormat {
    case .fp64, .fp64Tensor: 8
    case .tf32: 4
    case .bf16, .fp16: 2
    case .fp8, .fp8Blockwise, .mxfp8: 1
    case .fp4, .nvfp4: 0.5
    }
  }

  /// Bytes of scale factors per stored value: one E8M0 byte per 32 values for MXFP8 (OCP MX
  /// v1.0), one E4M3 byte per 16 for NVFP4 (its per-tensor FP32 scale is negligible), one
  /// FP32 scale (4 bytes) per 128 values for block-wise FP8 (DeepSeek-V3 §3.3, the 1×128
  /// activation tiles; its 128×128 weight blocks add 4 bytes per 16,384). Per-tensor FP8 keeps
  /// one scale per tensor: 0.
  public var scaleBytesPerValue: Double {
    switch self {
    case .fp64, .fp64Tensor, .tf32, .bf16, .fp16, .fp8, .fp4: 0
    case .fp8Blockwise: 4.0 / 128
    case .mxfp8: 1.0 / 32
    case .nvfp4: 1.0 / 16
    }
  }

  /// Bytes per stored value, scale factors included: 1 for fp8, 1 + 1/32 for mxfp8, 1 + 4/128
  /// for fp8_blockwise, 0.5 + 1/16 for nvfp4.
  public var bytesPerValue: Double { elementBytes + scaleBytesPerValue }

  /// Whether its elements take 8 bits or fewer (`fp8` and every FP8 or FP4 recipe): what the
  /// models ask where FP8 changes bytes moved or cached (expert dispatch, projection inputs,
  /// inference weights).
  public var isEightBitOrNarrower: Bool { elementBytes <= 1 }

  /// The peak it needs, as errors name it: `fp8 peak`, or `fp4 peak (nvfp4 runs on it)`.
  public var peakName: String {
    isPeakFormat ? "\(name) peak" : "\(peakFormat.name) peak (\(name) runs on it)"
  }
}

extension Precision {
  /// Position in `allCases`: the peak formats from the widest to the narrowest, then the recipes.
  fileprivate static func order(_ precision: Precision) -> Int {
    switch precision {
    case .fp64: 0
    case .fp64Tensor: 1
    case .tf32: 2
    case .bf16: 3
    case .fp16: 4
    case .fp8: 5
    case .fp4: 6
    case .fp8Blockwise: 7
    case .mxfp8: 8
    case .nvfp4: 9
    }
  }
}
