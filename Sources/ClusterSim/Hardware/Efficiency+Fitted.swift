/// The step-time constants of the built-in chips: what
/// `clustersim calibrate configs/calibration/ --start seed` fits on the 131 published
/// measurements shipped in `configs/calibration/` (the fit is staged: `ChipFitPlan`; the output,
/// with every case's held-out error, is in docs/validation.md). `CalibratedCatalogTests` reruns the
/// fit and checks every value here against it, to the four significant digits the report prints.
///
/// Each chip: `gemm` of the 16-bit formats (TF32 and FP64 assumed alike, as before calibration),
/// of FP8 per-tensor scaling, and of each recipe it was measured with. A value marked "borrowed" is
/// the mean of the other chips' dense fits of that precision (the chip has no dense case of it); a
/// value marked "seed" is not measured on the chip and keeps `Efficiency.seed`'s. `expert_gemm`
/// and `moe_layer_overhead_us` where the chip's MoE cases fit them (else the seed's 0.4 and 0).
extension Efficiency {
  /// A chip's fitted constants on the shared base (`calibrated(gemm:)`).
  static func fitted(
    sixteenBit: Double, fp8: Double = 0.45, recipes: [Precision: Double] = [:],
    expertGEMM: Double = 0.4, moeLayerOverheadUS: Double = 0
  ) -> Efficiency {
    var gemm: [Precision: Double] = [
      .fp64: sixteenBit, .fp64Tensor: sixteenBit, .tf32: sixteenBit, .bf16: sixteenBit,
      .fp16: sixteenBit, .fp8: fp8, .fp4: 0.45,
    ]
    gemm.merge(recipes) { $1 }
    var efficiency = calibrated(gemm: gemm)
    efficiency.expertGEMM = expertGEMM
    efficiency.moeLayerOverheadUS = moeLayerOverheadUS
    return efficiency
  }

  /// A100: fp16 fitted on Megatron-LM's ten A100 runs (Narayanan et al., SC '21, Table 1).
  public static let a100 = fitted(sixteenBit: 0.6871)

  /// H100: bf16 and FP8 on its dense cases (Llama 3 405B, AutoModel's Llama 3 70B; NVIDIA's Llama,
  /// GPT-3 and Nemotron FP8 rows); the MoE terms on all 30 cases.
  public static let h100 = fitted(
    sixteenBit: 0.5935, fp8: 0.49, expertGEMM: 1, moeLayerOverheadUS: 1348)

  /// H800: one case, DeepSeek-V3's pre-training (MoE), so no dense fit: FP8 borrowed,
  /// `expert_gemm` fitted (one case fits one constant); its 16-bit value is H100's (the same
  /// compute die, ISCA '25 §4.1), not measured on H800.
  public static let h800 = fitted(sixteenBit: 0.5935, fp8: 0.4841, expertGEMM: 0.3877)

  /// B200: FP8 and MXFP8 on its dense Llama, GPT-3 and Nemotron rows; bf16 borrowed.
  public static let b200 = fitted(
    sixteenBit: 0.5935, fp8: 0.4425, recipes: [.mxfp8: 0.4326], expertGEMM: 0.7474,
    moeLayerOverheadUS: 1189)

  /// B300: MoE cases only: bf16 and MXFP8 borrowed, FP8 seed.
  public static let b300 = fitted(
    sixteenBit: 0.5935, recipes: [.mxfp8: 0.4841], expertGEMM: 0.5604, moeLayerOverheadUS: 1173)

  /// GB200 NVL72: FP8, MXFP8 and NVFP4 on its dense rows; bf16 borrowed.
  public static let gb200 = fitted(
    sixteenBit: 0.5935, fp8: 0.409, recipes: [.mxfp8: 0.3796, .nvfp4: 0.3628], expertGEMM: 0.8724,
    moeLayerOverheadUS: 524.1)

  /// GB300 NVL72: FP8, MXFP8 and NVFP4 on its dense rows; bf16 borrowed.
  public static let gb300 = fitted(
    sixteenBit: 0.5935, fp8: 0.5948, recipes: [.mxfp8: 0.64, .nvfp4: 0.3512], expertGEMM: 0.7573,
    moeLayerOverheadUS: 452.7)

  /// For chips with no measurement of their own (chips a config adds): each fitted constant at
  /// the mean of the calibrated chips' own fits of it (borrowed values excluded), the rule whose
  /// error the report's "its chip left out" rows measure (`Calibration.borrowed`).
  public static let uncalibrated = fitted(
    sixteenBit: 0.5935, fp8: 0.4841, recipes: [.fp16: 0.6871, .mxfp8: 0.4841, .nvfp4: 0.357],
    expertGEMM: 0.7209, moeLayerOverheadUS: 937.4)
}
