import Foundation
import Testing

@testable import ClusterSim

/// Activation offloading (`parallelism.activation_offload_layers`): memory and host-link time
/// against closed forms, and Megatron-Core's refusals.
@Suite struct ActivationOffloadTests {
  /// GPT-3's shape with dropout, the unfused kernel and no recomputation on one A100, data
  /// parallel only, so a layer stores Korthikanti et al.'s sbh(34 + 5as/h) bytes (Table 2, t = 1).
  static func model(offload: Int, hostLinkGBPerS: Double = 32) throws -> StepTimeModel {
    var chip = try StepTimeModelTests.a100()
    chip.hostLinkGBPerS = hostLinkGBPerS
    let job = TrainingJob(
      model: StepTimeModelTests.gpt3, seqLen: 2048, globalBatch: 4, steps: 1,
      layout: ParallelLayout(data: 1, microbatch: 1, zero: 3), precision: .bf16,
      attentionKernel: .unfused, activationOffloadLayers: offload)
    return StepTimeModel(job: job, chip: chip)
  }

  /// s = 2,048, b = 1, h = 12,288, a = 96: sbh(34 + 5as/h) = 2,048 × 12,288 × (34 + 80)
  /// = 2,868,903,936 bytes per layer.
  static let layerBytes = 2048.0 * 12288 * (34 + 5 * 96 * 2048 / 12288)

  /// Offloading 40 of 96 layers keeps 96 − 40 + 1 = 57 layers' activations on the GPU: 39 layers'
  /// bytes fewer than without.
  @Test func offloadedLayersLeaveHBMButOne() throws {
    #expect(Self.layerBytes == 2_868_903_936)
    let kept = try Self.model(offload: 0).estimate(microbatch: 1).memory.activationsBytes
    let offloaded = try Self.model(offload: 40).estimate(microbatch: 1).memory.activationsBytes
    #expect(abs((kept - offloaded) - 39 * Self.layerBytes) < 1)
  }

  /// A layer's 2.87 GB cross a 32 GB/s host link in 89.7 ms each way. Through a link a million
  /// times faster the copies hide behind the passes and the step is the step without offloading;
  /// through 32 GB/s each offloaded layer exposes 2 × 89.7 ms less its forward and backward
  /// compute, in each of the 4 microbatches.
  @Test func copiesTheLayersPassCannotHideAreExposed() throws {
    let plain = try Self.model(offload: 0).estimate(microbatch: 1)
    let fast = try Self.model(offload: 10, hostLinkGBPerS: 32e6).estimate(microbatch: 1)
    #expect(fast.stepSeconds == plain.stepSeconds)
    let slow = try Self.model(offload: 10)
    let forward = slow.layerForward(microbatch: 1, moe: false).compute
    // No recomputation, unfused kernel: the backward is twice the forward's work.
    let backward = 2 * forward
    let copy = Self.layerBytes / 32e9
    #expect(abs(copy - 0.089_653_248) < 1e-9)
    #expect(copy > backward)
    let exposed = 4 * 10 * ((copy - forward) + (copy - backward))
    let step = slow.estimate(microbatch: 1)
    #expect(abs(step.breakdown.computeSeconds - plain.breakdown.computeSeconds - exposed) < 1e-9)
  }

  /// Megatron-Core offloads no pipeline stage, no recomputed layer and never all the layers.
  @Test func megatronsRefusalsAreLocated() throws {
    func message(_ job: (inout TrainingJob) -> Void) throws -> String? {
      var model = try Self.model(offload: 40).job
      job(&model)
      let step = StepTimeModel(job: model, chip: try StepTimeModelTests.a100())
      return step.problem().map { step.error(for: $0).message }
    }
    #expect(
      try message { $0.layout.pipeline = 2 }
        == "activation_offload_layers 40 needs pp 1 (Megatron-Core offloads no pipeline stage)")
    #expect(
      try message { $0.layout.recompute = .selective }
        == "activation_offload_layers 40 needs recompute: none (Megatron-Core offloads no "
        + "recomputed layer)")
    #expect(
      try message { $0.activationOffloadLayers = 96 }
        == "activation_offload_layers 96 must be below the model's 96 layers")
    #expect(try message { _ in } == nil)
  }

  /// A searched recomputation with offloading is `none` only: Megatron-Core refuses the two
  /// together. On 16 A100s, Llama 2 70B's shape at 4K needs recomputation or offloading to fit;
  /// with 40 layers offloaded and every layout key searched, no ranked layout recomputes.
  @Test func theSearchNeverPairsOffloadingWithRecomputation() throws {
    let yaml = """
      cluster:
        pools:
          - {name: a, chip: A100-SXM4-80GB, nodes: 2, price_per_gpu_hour: 2}
      phases:
        - name: p
          pool: a
          gpus: 16
          precision: bf16
          model: {layers: 80, hidden: 8192, ffn: 28672, heads: 64, kv_heads: 8, vocab: 32000}
          seq_len: 4096
          global_batch: 64
          steps: 10
          parallelism: {tp: auto, pp: 1, cp: auto, zero: 3, recompute: auto, microbatch: auto, activation_offload_layers: 40}

      """
    let plan = try ConfigLoader.parsePlan(yaml: yaml, file: "x.yaml")
    let report = try LayoutReport(plan, phase: "p", keep: 20)
    let ranked = report.searches[0].result.ranked
    #expect(!ranked.isEmpty)
    #expect(ranked.allSatisfy { $0.job.layout.recompute == .none })
    #expect(ranked.allSatisfy { $0.job.activationOffloadLayers == 40 })
  }

  /// The key is read as a whole number and refused, located, when it is not one.
  @Test func theKeyIsReadAndChecked() throws {
    let yaml = """
      cluster:
        pools:
          - {name: a, chip: A100-SXM4-80GB, nodes: 1, price_per_gpu_hour: 2}
      phases:
        - name: p
          pool: a
          gpus: 8
          precision: bf16
          model: {layers: 24, hidden: 2048, heads: 16, vocab: 50304}
          seq_len: 2048
          global_batch: 64
          steps: 10
          parallelism: {tp: 1, pp: 1, dp: 8, microbatch: 1, recompute: none, activation_offload_layers: OFFLOAD}

      """
    let program = try ConfigLoader.parse(
      yaml: yaml.replacingOccurrences(of: "OFFLOAD", with: "12"), file: "x.yaml")
    guard case .training(let spec) = program.phases[0].work else {
      Issue.record("not a training phase")
      return
    }
    #expect(spec.layout.activationOffloadLayers == 12)
    #expect(
      spec.job(layout: ParallelLayout(data: 8), precision: .bf16).activationOffloadLayers == 12)
    // Line 13, column 99: where the value sits in the parallelism mapping.
    for given in ["-1", "half"] {
      do {
        _ = try ConfigLoader.parse(
          yaml: yaml.replacingOccurrences(of: "OFFLOAD", with: given), file: "x.yaml")
        Issue.record("\(given) accepted")
      } catch {
        #expect(
          error.description.hasPrefix(
            "x.yaml:13:99: phases[0].parallelism.activation_offload_layers: "),
          "\(error.description)")
      }
    }
  }
}
