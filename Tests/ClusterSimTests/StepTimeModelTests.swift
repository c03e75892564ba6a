import Testing

@testable import ClusterSim

/// The step-time model's terms against closed forms computed by hand.
@Suite struct StepTimeModelTests {
  static let gpt17B = TransformerModel(layers: 24, hidden: 2304, heads: 24, vocab: 51200)
  static let gpt3 = TransformerModel(layers: 96, hidden: 12288, heads: 96, vocab: 51200, dropout: true)

  static func a100() throws -> Chip { try #require(ChipCatalog.builtIn["A100-SXM4-80GB"]) }

  /// A chip whose matrix multiplies run at exactly peak and whose memory traffic is free, so
  /// compute time is FLOPs over peak.
  static func ideal() throws -> Chip {
    var chip = try a100()
    chip.hbmTBPerS = 1e12
    chip.efficiency.gemm = [.bf16: 1, .fp16: 1]
    chip.efficiency.gemmHalfFLOPs = 0
    return chip
  }

  /// On an ideal chip one GPU's compute for a step is Megatron's eq. 3 per token (full
  /// recomputation: 96·l·h²·(1 + s/6h + V/16lh)) times its tokens over the peak.
  @Test func computeIsMegatronEquation3OverPeak() throws {
    let layout = ParallelLayout(data: 32, microbatch: 4, zero: 0, recompute: .full)
    let job = TrainingJob(
      model: Self.gpt17B, seqLen: 2048, globalBatch: 512, steps: 1, layout: layout,
      precision: .bf16, attentionKernel: .unfused)
    let estimate = StepTimeModel(job: job, chip: try Self.ideal()).estimate(microbatch: 4)
    let (l, h, s, v) = (24.0, 2304.0, 2048.0, 51200.0)
    let perToken = 96 * l * h * h * (1 + s / (6 * h) + v / (16 * l * h))
    let expected = 512.0 / 32 * s * perToken / 312e12
    #expect(abs(estimate.breakdown.computeSeconds / expected - 1) < 1e-9)
    #expect(estimate.microbatches == 4)
  }

  /// A large multiply is compute-bound: (2mnk + F½)/(peak · efficiency); a vector times a matrix
  /// is bound by streaming the matrix: bytes/(HBM · efficiency).
  @Test func gemmRoofline() throws {
    let job = TrainingJob(
      model: Self.gpt17B, seqLen: 2048, globalBatch: 8, steps: 1,
      layout: ParallelLayout(data: 1), precision: .bf16)
    var chip = try Self.a100()
    chip.efficiency.gemm[.bf16] = 0.67
    let model = StepTimeModel(job: job, chip: chip)
    let big = model.gemmSeconds(m: 8192, n: 8192, k: 8192)
    #expect(abs(big - (2 * 8192.0 * 8192 * 8192 + 2e9) / (312e12 * 0.67)) < 1e-15)
    let thin = model.gemmSeconds(m: 1, n: 8192, k: 8192)
    let bytes = 2 * (8192.0 + 8192 * 8192 + 8192)
    #expect(abs(thin - bytes / (2.039e12 * 0.8)) < 1e-15)
  }

  func pipelineJob(_ schedule: PipelineSchedule, v: Int = 1) -> StepTimeModel {
    let layout = ParallelLayout(
      tensor: 8, pipeline: 8, data: 4, virtualStages: v, microbatch: 1, zero: 1,
      recompute: .selective, schedule: schedule, sequenceParallel: true)
    let job = TrainingJob(
      model: Self.gpt3, seqLen: 2048, globalBatch: 256, steps: 1, layout: layout,
      precision: .bf16, attentionKernel: .unfused)
    return StepTimeModel(job: job, chip: try! Self.a100())
  }

  /// Bubbles relative to one microbatch's forward F and backward B on a device, p = 8:
  /// 1F1B (p−1)(F+B), so a fraction (p−1)/m of the pipelined time; interleaving divides it by v;
  /// ZB-H1 and DualPipe leave less.
  @Test func bubblesBySchedule() {
    let oneF = pipelineJob(.oneFOneB)
    let one = oneF.slowestMicrobatch(microbatch: 1)
    let estimate = oneF.estimate(microbatch: 1)
    #expect(estimate.microbatches == 64)
    let perMicrobatch = one.forward + one.backward
    #expect(abs(estimate.breakdown.bubbleSeconds - 7 * perMicrobatch) < 1e-9)
    #expect(abs(estimate.breakdown.bubbleSeconds / (64 * perMicrobatch) - 7.0 / 64) < 1e-12)

    let interleaved = pipelineJob(.interleaved, v: 4)
    let chunked = interleaved.slowestMicrobatch(microbatch: 1)
    let bubble = interleaved.estimate(microbatch: 1).breakdown.bubbleSeconds
    #expect(abs(bubble - 7 * (chunked.forward + chunked.backward) / 4) < 1e-9)

    let zero = pipelineJob(.zeroBubble).estimate(microbatch: 1).breakdown.bubbleSeconds
    let dual = pipelineJob(.dualPipe).estimate(microbatch: 1).breakdown.bubbleSeconds
    #expect(zero < estimate.breakdown.bubbleSeconds / 2)
    #expect(dual < zero)
  }

  /// Korthikanti et al. §4.2.3: with 1F1B the first stage holds p microbatches of L/p layers, so
  /// its activations are those of all L layers, whatever p: for GPT-3 175B with t = 8, sequence
  /// parallelism and selective recomputation, L·sbh·34/t = 96 · 2048 · 12288 · 34 / 8 =
  /// 10,267,656,192 bytes. Interleaving multiplies them by 1 + (p−1)/(pv).
  @Test func firstStageActivationsAreAllLayers() {
    let memory = pipelineJob(.oneFOneB).estimate(microbatch: 1).memory
    #expect(abs(memory.activationsBytes - 10_267_656_192) < 1)
    let interleaved = pipelineJob(.interleaved, v: 2).estimate(microbatch: 1).memory
    #expect(abs(interleaved.activationsBytes - 10_267_656_192 * (1 + 7.0 / 16)) < 1)
  }

  /// Weights 2, gradients 4 (grad_reduce fp32) or 2 (bf16, fp16: Megatron-Core's main-gradient
  /// buffer takes the parameters' dtype unless `grad_reduce_in_fp32`), optimizer 12 bytes per
  /// parameter, sharded over dp = 8 from ZeRO stage 3, 2 and 1 respectively (Rajbhandari et al.,
  /// SC '20, Figure 1).
  @Test(arguments: [(GradientPrecision.fp32, 4.0), (.bf16, 2), (.fp16, 2)])
  func zeroShardsStates(grads: GradientPrecision, gradientBytes: Double) throws {
    let params = Self.gpt17B.totalParams
    for stage in 0...3 {
      let layout = ParallelLayout(data: 8, zero: stage)
      let job = TrainingJob(
        model: Self.gpt17B, seqLen: 2048, globalBatch: 8, steps: 1, layout: layout,
        gradientSync: GradientSync(precision: grads))
      let memory = StepTimeModel(job: job, chip: try Self.a100()).estimate(microbatch: 1).memory
      #expect(abs(memory.weightsBytes - 2 * params / (stage >= 3 ? 8 : 1)) < 1)
      #expect(abs(memory.gradientsBytes - gradientBytes * params / (stage >= 2 ? 8 : 1)) < 1)
      #expect(abs(memory.optimizerBytes - 12 * params / (stage >= 1 ? 8 : 1)) < 1)
    }
  }

  /// With the microbatch left open, the model takes the fastest that fits.
  @Test func chosenMicrobatchIsTheFastestThatFits() throws {
    let layout = ParallelLayout(tensor: 8, pipeline: 8, data: 4, zero: 1, recompute: .full)
    let job = TrainingJob(
      model: Self.gpt3, seqLen: 2048, globalBatch: 256, steps: 1, layout: layout,
      attentionKernel: .unfused)
    let model = StepTimeModel(job: job, chip: try Self.a100())
    let chosen = try model.estimate()
    for microbatch in [1, 2, 4, 8, 16, 32, 64] {
      let other = model.estimate(microbatch: microbatch)
      if other.memory.totalBytes <= 80e9 {
        #expect(chosen.stepSeconds <= other.stepSeconds)
      }
    }
    #expect(chosen.memory.totalBytes <= 80e9)
  }

  func rejection(_ layout: ParallelLayout, model: TransformerModel = gpt3, batch: Int = 64)
    -> LayoutError?
  {
    let job = TrainingJob(
      model: model, seqLen: 2048, globalBatch: batch, steps: 1, layout: layout,
      attentionKernel: .unfused)
    guard let chip = ChipCatalog.builtIn["A100-SXM4-80GB"] else { return nil }
    do {
      _ = try StepTimeModel(job: job, chip: chip).estimate()
      return nil
    } catch {
      return error
    }
  }

  /// GPT-3 175B on tp 8 without ZeRO: 175,204,466,688 parameters / 8 per GPU, at 2 + 2 + 12
  /// bytes (bf16 gradients, the default grad_reduce): 43.8 + 43.8 + 262.8 GB; activations with
  /// full recomputation 96 layers × 2sbh, one layer's sbh(10 + 24/8 + 5as/8h) while it is
  /// recomputed, and the fp32 logits 4·s·V/8: 5.5 GB; 355.9 GB in all.
  @Test func layoutThatDoesNotFitIsRejectedWithItsNumbers() {
    let error = rejection(ParallelLayout(tensor: 8, data: 8, zero: 0, recompute: .full))
    #expect(
      error?.message
        == "needs 355.9 GB per GPU (weights 43.8, gradients 43.8, optimizer 262.8, activations "
        + "5.5) at microbatch 1; A100-SXM4-80GB has 80")
    #expect(error?.key == "")
  }

  /// The same layout with sequence parallelism: the stored layer inputs are split over the 8
  /// ranks (Megatron-LM checkpoints the sequence-split hidden states): 96 × 2sbh/8 =
  /// 603,979,776 bytes, the layer being recomputed sbh(34/8 + 80/8) = 14.25 sbh = 358,612,992,
  /// and the logits 4 × 2048 × 51,200 / 8 = 52,428,800: 1,015,021,568 bytes, 1.0 GB instead of
  /// 5.5.
  @Test func fullRecomputeWithSequenceParallelStoresSplitInputs() {
    let error = rejection(
      ParallelLayout(tensor: 8, data: 8, zero: 0, recompute: .full, sequenceParallel: true))
    #expect(error?.message.contains("activations 1.0)") == true)
    let job = TrainingJob(
      model: Self.gpt3, seqLen: 2048, globalBatch: 64, steps: 1,
      layout: ParallelLayout(
        tensor: 8, data: 8, microbatch: 1, zero: 0, recompute: .full, sequenceParallel: true),
      attentionKernel: .unfused)
    guard let chip = ChipCatalog.builtIn["A100-SXM4-80GB"] else { return }
    let memory = StepTimeModel(job: job, chip: chip).memory(microbatch: 1, microbatches: 8)
    #expect(memory.activationsBytes == 1_015_021_568)
  }

  @Test func impossibleLayoutsSayWhatWouldFit() {
    #expect(
      rejection(ParallelLayout(tensor: 5, data: 8))?.message
        == "tp 5 does not divide the 96 attention heads and 96 key/value heads; tp may be 1, "
        + "2, 3, 4, 6, 8, 12, 16, 24, 32, 48")
    #expect(
      rejection(ParallelLayout(tensor: 8, pipeline: 5, data: 8))?.message
        == "96 layers do not split evenly over 5 pipeline chunks (pp 5 × 1 per device); pp may "
        + "be 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 96, or set parallelism.uneven_pipeline: true "
        + "to let some stages hold a layer fewer")
    #expect(
      rejection(ParallelLayout(tensor: 8, data: 6))?.message
        == "global_batch 64 does not split over dp 6 data-parallel replicas; use a multiple of 6")
    #expect(
      rejection(ParallelLayout(tensor: 8, data: 8, microbatch: 3))?.message
        == "microbatch 3 does not divide the 8 sequences each data-parallel replica takes per "
        + "step (global_batch 64 / dp 8); use one of 1, 2, 4, 8")
    #expect(
      rejection(ParallelLayout(tensor: 8, data: 8, virtualStages: 2))?.key
        == "parallelism.virtual_stages")
    #expect(rejection(ParallelLayout(tensor: 8, data: 8, expert: 2))?.key == "parallelism.ep")
  }
}

extension StepTimeModelTests {
  @Test func divisors() {
    #expect(StepTimeModel.divisors(of: 120) == [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 30, 40, 60, 120])
    #expect(StepTimeModel.divisors(of: 49) == [1, 7, 49])
    #expect(StepTimeModel.divisors(of: 1) == [1])
    #expect(StepTimeModel.divisors(of: 1_000_000_007) == [1, 1_000_000_007])
  }
}
