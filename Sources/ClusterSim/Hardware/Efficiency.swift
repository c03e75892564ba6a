/// What fraction of a chip's datasheet figures real kernels and collectives reach: the constants of
/// the step-time model. One set per chip (links and memory) and per chip and precision (matrix
/// multiplies); the catalog holds calibrated values and a config may override them.
///
/// See `docs/model.md` ("Efficiency constants") for what each one scales and
/// `docs/validation.md` for how they were calibrated.
public struct Efficiency: Sendable, Hashable {
  /// Fraction of the dense peak a large matrix multiply sustains inside a training step (the
  /// asymptote of the efficiency curve), per precision; a recipe (`mxfp8`, ...) may have its
  /// own, and without one takes its peak format's (`gemm(for:)`).
  public var gemm: [Precision: Double]
  /// The size, in FLOPs, of the matrix multiply that reaches half of `gemm`: a multiply of F FLOPs
  /// runs at `gemm · F / (F + gemmHalfFLOPs)` of peak. Equivalently, each multiply costs a fixed
  /// `gemmHalfFLOPs / (peak · gemm)` seconds of launch and tail on top of its work.
  public var gemmHalfFLOPs: Double
  /// Fraction of a dense multiply's efficiency that the grouped expert multiplies of an MoE
  /// layer reach, with their routing, permutation and load imbalance (1 = as dense).
  public var expertGEMM: Double
  /// The size, in FLOPs, of one expert's matrix multiply (tokens per expert × width × hidden × 2)
  /// that reaches half of `gemm · expertGEMM`: the grouped multiplies' own size curve, apart from
  /// the dense multiplies' `gemmHalfFLOPs` (the same 2 GFLOPs until calibrated).
  public var expertGEMMHalfFLOPs: Double = 2e9
  /// Passes over the routed tokens' rows (T·k rows of h 16-bit values) through HBM to permute them
  /// into expert order and back, outside the all-to-all: 4 for Megatron-Core's unfused `permute`
  /// and `unpermute` (each reads and writes every row); 0, the default, leaves them to
  /// `expertGEMM`, as DeepSeek-V3's calibration did.
  public var expertPermutePasses: Double = 0
  /// Fixed seconds, in microseconds, of one MoE layer's forward per microbatch that do not shrink
  /// with its work (twice that in the backward, which launches the kernels twice over): the host
  /// waits for each layer's token counts per expert before it can size the grouped multiplies
  /// (Megatron-Core's all-to-all dispatcher copies `tokens_per_expert` to the host and waits:
  /// `_maybe_dtoh_and_synchronize` in `megatron/core/transformer/moe/token_dispatcher.py`), so
  /// the launches of the layer's routing, permutation and expert kernels are exposed instead of
  /// queued ahead. 0, the default, leaves them to `expertGEMM`; `clustersim calibrate` fits it.
  public var moeLayerOverheadUS: Double = 0
  /// Fraction of the HBM bandwidth that memory-bound kernels (element-wise, optimizer) sustain.
  public var hbm: Double
  /// Fraction of the per-direction NVLink bandwidth a collective's bus bandwidth reaches.
  public var nvlink: Double
  /// Fraction of the NIC's line rate a collective's bus bandwidth reaches.
  public var network: Double
  /// Latency of one NVLink transfer step, in microseconds.
  public var nvlinkLatencyUS: Double
  /// Latency of one network transfer step, in microseconds.
  public var networkLatencyUS: Double
  /// Fraction of the matrix rate (`gemm`) that inference prefill reaches, with its batching,
  /// scheduling and cache handling (`InferenceModel.prefill`).
  public var prefill: Double
  /// Fixed cost of one decode step per layer, in microseconds: kernel launches, synchronisation
  /// and scheduling that do not shrink with the batch (`InferenceModel.decodeStep`).
  public var decodeLayerOverheadUS: Double
  /// With `overlap_tp_comm`, the fraction of a layer's matrix-multiply seconds that its
  /// tensor-parallel collectives can hide behind (comm-GEMM overlap by decomposition: the chunk
  /// that starts or ends the pipeline cannot overlap). Unused without it.
  public var tpOverlap: Double = 0.75
  /// Fraction of the bf16 peak a flash attention kernel's forward reaches on long rows (the
  /// asymptote of its curve; `StepTimeModel.flashAttentionEfficiency`).
  public var attention: Double = 0.636
  /// The work per query row and head, 4 × keys × head size FLOPs, at which the flash kernel
  /// reaches half of `attention`.
  public var attentionHalfRowFLOPs: Double = 119_808
  /// The flash backward's efficiency as a fraction of the forward's.
  public var attentionBackward: Double = 0.87

  public init(
    gemm: [Precision: Double], gemmHalfFLOPs: Double, expertGEMM: Double = 1, hbm: Double,
    nvlink: Double,
    network: Double, nvlinkLatencyUS: Double, networkLatencyUS: Double, prefill: Double = 1,
    decodeLayerOverheadUS: Double = 0
  ) {
    self.gemm = gemm
    self.gemmHalfFLOPs = gemmHalfFLOPs
    self.expertGEMM = expertGEMM
    self.hbm = hbm
    self.nvlink = nvlink
    self.network = network
    self.nvlinkLatencyUS = nvlinkLatencyUS
    self.networkLatencyUS = networkLatencyUS
    self.prefill = prefill
    self.decodeLayerOverheadUS = decodeLayerOverheadUS
  }
}

extension Efficiency {
  /// The large-multiply efficiency of `precision`: its own entry, else its peak format's (a
  /// recipe's scaling costs nothing until a chip is given a figure for it).
  public func gemm(for precision: Precision) -> Double? {
    gemm[precision] ?? gemm[precision.peakFormat]
  }

  /// Shared by every chip: HBM, NVLink and network efficiencies of 0.8 (DeepSeek measures about
  /// 160 of H800's 200 GB/s per direction of NVLink and 40 of 50 GB/s per 400 Gb/s NIC, ISCA '25
  /// §4.3); latencies of ISCA '25 Table 5 (NVLink 3.33 µs, InfiniBand across leaves 3.7 µs); a
  /// multiply of 2 GFLOPs reaching half its asymptotic efficiency (about 3 µs of launch and tail
  /// on an A100); grouped expert multiplies at 0.4 of a dense one's efficiency before any fit (the
  /// seed; `Efficiency+Fitted` holds each chip's fitted value); tensor-parallel collectives, when
  /// overlapped, hidden behind 3/4 of the layer's multiplies (`tpOverlap`: NeMo's userbuffers
  /// recipes split the overlapped reduce-scatter GEMMs in 4 chunks, `num_splits=4`, one of which
  /// cannot overlap; `nemo/collections/llm/recipes/tp_overlap_configs/userbuffers.py`); the
  /// flash attention curve fitted on FlashAttention-3's H100 forward (head size 128, 512 to 16K
  /// keys: 430 to 621 TFLOP/s, pytorch/benchmark commit ff65cb67), 0.636 of the bf16 peak and half
  /// of it at 234 keys of 128 (119,808 FLOPs per row), within 1% of all six points; the backward
  /// at 0.87 of the forward's rate (FlashAttention-3, Shah et al. 2024, Figures 5 and 6: 561
  /// against 648 TFLOP/s at 16K, head size 128). Uncalibrated on other chips.
  static func calibrated(gemm: [Precision: Double]) -> Efficiency {
    Efficiency(
      gemm: gemm, gemmHalfFLOPs: 2e9, expertGEMM: 0.4, hbm: 0.8, nvlink: 0.8, network: 0.8,
      nvlinkLatencyUS: 3.33, networkLatencyUS: 3.7, prefill: InferenceCalibration.prefill,
      decodeLayerOverheadUS: InferenceCalibration.decodeLayerOverheadUS)
  }

  /// The values before any fit, where `clustersim calibrate --start seed` starts: the hand
  /// values the step-time model used before `calibrate` existed (0.62 of the 16-bit peak from
  /// Llama 3 405B on H100, arXiv 2407.21783 Table 4; FP8 at 0.45, about 1.45× the 16-bit rate),
  /// with FP4 at FP8's fraction.
  public static let seed = calibrated(
    gemm: [
      .fp64: 0.62, .fp64Tensor: 0.62, .tf32: 0.62, .bf16: 0.62, .fp16: 0.62, .fp8: 0.45, .fp4: 0.45,
    ])
}
