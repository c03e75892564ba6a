import Testing

@testable import ClusterSim

/// Expert tensor parallelism (`etp`): experts split by etp instead of tp, laid out as
/// Megatron-Core lays them out (a stage's tp·cp·dp GPUs re-divided as etp·ep·edp).
@Suite struct ExpertTensorParallelTests {
  /// A small MoE: h 1,024, 8 routed experts of width 512 (2 per token), SwiGLU, 4 layers.
  static let moe = TransformerModel(
    kind: .moe, layers: 4, hidden: 1_024, heads: 16, vocab: 1_000, gatedFFN: true,
    routedExperts: 8, expertsPerToken: 2, expertFFN: 512)

  func model(etp: Int?, tensor: Int = 2, chip: Chip? = nil) throws -> StepTimeModel {
    let layout = ParallelLayout(
      tensor: tensor, data: 4, expert: 4, microbatch: 1, zero: 1, expertTensor: etp)
    let job = TrainingJob(
      model: Self.moe, seqLen: 2_048, globalBatch: 8, steps: 1, layout: layout, precision: .bf16)
    return StepTimeModel(job: job, chip: try chip ?? StepTimeModelTests.a100())
  }

  /// tp 2, dp 4, ep 4: with etp 2 (= tp) each expert's 3 × 1,024 × 512 = 1,572,864 parameters
  /// are split over 2 ranks and the 8 experts over 4, 8 × 1,572,864 / 8 = 1,572,864 per layer
  /// per GPU, replicated over dp·cp/ep = 1 rank; with etp 1 each GPU holds 2 whole experts,
  /// 3,145,728 per layer, replicated over tp·cp·dp/(etp·ep) = 8/4 = 2 expert-data ranks.
  @Test func expertsSplitByEtpAndReplicatedOverExpertData() throws {
    let perLayer = 8 * 1_572_864.0
    let followsTP = try model(etp: nil)
    #expect(followsTP.localParams.expert == 4 * perLayer / 8)
    #expect(followsTP.replicaRanks.expert == 1)
    let etp1 = try model(etp: 1)
    #expect(etp1.localParams.expert == 4 * perLayer / 4)
    #expect(etp1.replicaRanks.expert == 2)
    #expect(etp1.localParams.dense == followsTP.localParams.dense)
  }

  /// Given equal to tp, etp changes nothing inside a node (cp 1): the same step, part for part.
  @Test func etpEqualToTPIsTheDefault() throws {
    #expect(try model(etp: 2).estimate(microbatch: 1) == model(etp: nil).estimate(microbatch: 1))
  }

  /// The expert work per GPU does not depend on etp, only the matrices' shapes: on an ideal chip
  /// (no launch cost, free memory traffic) the compute is the same FLOPs over the peak.
  @Test func expertFLOPsPerGPUDoNotDependOnEtp() throws {
    let chip = try StepTimeModelTests.ideal()
    let split = try model(etp: 2, chip: chip).estimate(microbatch: 1).breakdown.computeSeconds
    let whole = try model(etp: 1, chip: chip).estimate(microbatch: 1).breakdown.computeSeconds
    #expect(abs(whole / split - 1) < 1e-12)
  }

  /// With etp 1 each of the 2 tp ranks dispatches half of the tp group's 2,048 tokens: over
  /// NVLink (A100: 600/2 GB/s × 0.8 = 240 GB/s, α 3.33 µs) dispatch and combine in bf16 each cost
  /// 1,024 × k 2 × (ep−1)/ep 3/4 × h 1,024 × 2 bytes / 240e9 + 3.33e-6 = 16.4372 µs.
  @Test func allToAllCarriesTheEtpShareOfTokens() throws {
    let one = 1_024 * 2 * 0.75 * 1_024 * 2 / 240e9 + 3.33e-6
    #expect(abs(try model(etp: 1).expertParallelForward(microbatch: 1) - 2 * one) < 1e-15)
    let all = 2_048 * 2 * 0.75 * 1_024 * 2 / 240e9 + 3.33e-6
    #expect(abs(try model(etp: 2).expertParallelForward(microbatch: 1) - 2 * all) < 1e-15)
  }

  /// etp × ep must divide tp·cp·dp (Megatron-Core's `decoder world_size is not divisible by
  /// expert_tensor_model_pipeline_parallel size`), located at parallelism.etp with what fits.
  @Test func etpThatDoesNotDivideTheStageIsRejected() throws {
    let tooWide = try model(etp: 4)
    let error = tooWide.problem().map { tooWide.error(for: $0) }
    #expect(error?.key == "parallelism.etp")
    #expect(
      error?.message
        == "etp 4 × ep 4 must divide tp·cp·dp (8) and etp the expert_ffn 512 (Megatron-Core "
        + "splits a stage's GPUs as etp·ep·edp); etp may be 1, 2")
    // ep 8 on a stage of tp 2 × dp 2 = 4 GPUs: no etp can fit, and the message says what to
    // change instead.
    var wider = tooWide.job
    wider.layout.data = 2
    wider.layout.expert = 8
    let widerModel = StepTimeModel(job: wider, chip: try StepTimeModelTests.a100())
    #expect(
      widerModel.problem().map { widerModel.error(for: $0).message }
        == "etp 4 × ep 8 must divide tp·cp·dp (4) and etp the expert_ffn 512 (Megatron-Core "
        + "splits a stage's GPUs as etp·ep·edp); no etp fits ep 8; use an ep dividing 4")
    let dense = TrainingJob(
      model: StepTimeModelTests.gpt17B, seqLen: 2_048, globalBatch: 8, steps: 1,
      layout: ParallelLayout(tensor: 2, data: 4, expertTensor: 1))
    let denseModel = StepTimeModel(job: dense, chip: try StepTimeModelTests.a100())
    #expect(denseModel.problem() == .expertTensorNeedsMoE)
  }
}
