/// Activation offloading to host memory (`parallelism.activation_offload_layers`): the first N
/// layers of the model keep their stored activations in host memory between their forward and
/// backward, as Megatron-Core's `cpu_offloading` does with `cpu_offloading_weights` off
/// (megatron/core/transformer/transformer_block.py, `get_cpu_offload_context`; it allows no
/// pipeline parallelism and no recomputation, `StepTimeModel.problem()`). NVIDIA's Megatron-Bridge
/// recipes for FSDP runs on GB200 offload 40 of Llama 3 70B's 80 layers
/// (`llama3_70b_pretrain_64gpu_gb200_fp8cs_config`, `cpu_offloading_num_layers = 40`).
///
/// Memory: an offloaded layer's activations leave HBM once copied; one offloaded layer's are on
/// the GPU at a time (the copy in flight), so a microbatch holds the activations of
/// `layers − N + 1` layers (`memory`). Time: each offloaded layer's activations cross the host
/// link (`Chip.hostLinkGBPerS`, per direction, at its full figure) once in the forward and once back
/// in the backward, asynchronously, behind the next layer's pass; what a pass cannot cover is
/// exposed and counted as compute.
extension StepTimeModel {
  /// Offloaded layers by kind: the model's first N layers, so its dense layers (which come first)
  /// before its MoE layers.
  var offloadedLayers: (dense: Int, moe: Int) {
    let offload = job.activationOffloadLayers
    guard offload > 0 else { return (0, 0) }
    let denseLayers = model.layers - model.moeLayers
    let dense = min(offload, denseLayers)
    return (dense, min(offload - dense, model.moeLayers))
  }

  /// Seconds of one offloaded layer's copy to or from host memory that a pass of `window`
  /// seconds does not hide: max(0, bytes / host link − window).
  func offloadExposure(microbatch: Int, moe: Bool, window: Double) -> Double {
    let bytes = activationBytesPerLayer(
      microbatch: microbatch, moe: moe, recompute: .none,
      fp8Inputs: job.precision.isEightBitOrNarrower)
    return max(0, bytes / (chip.hostLinkGBPerS * 1e9) - window)
  }
}
