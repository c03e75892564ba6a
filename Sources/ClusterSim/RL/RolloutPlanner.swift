import Foundation

/// Builds an RL phase's `RolloutPlan` on a pool at a GPU count: the engines, the update layout,
/// and every rollout's prefill, decode table, scoring, updates and hand-over
/// (`docs/model.md`, "RL post-training").
struct RolloutPlanner {
  let spec: RLSpec
  let precision: Precision
  let pool: Pool
  let gpus: Int
  let inference: InferenceModel

  /// Generated tokens per entry of a rollout's decode table.
  static let chunkTokens = 128.0
  /// Host link for offloading the training state while the engines run: PCIe 5.0 ×16,
  /// 64 GB/s per direction, at the HBM efficiency (HGX H100/H800 hosts; Supp. B.1 of the R1
  /// paper: models are "offloaded from VRAM to either system memory or disk").
  static let hostLinkBytesPerSecond = 64e9 * 0.8

  init(spec: RLSpec, precision: Precision, pool: Pool, gpus: Int) {
    self.spec = spec
    self.precision = precision
    self.pool = pool
    self.gpus = gpus
    inference = InferenceModel(
      model: spec.model, layout: spec.inference, chip: pool.chip, precision: precision,
      gpusPerNode: pool.gpusPerNode)
  }

  func plan(planner: Planner) throws(PlanError) -> RolloutPlan {
    let engines = try inference.engines(gpus: gpus)
    let longestMean = Self.packed(spec.promptTokens + spec.meanLength.maximum)
    let update = try planner.trainedStep(
      spec.training(seqLen: longestMean), precision: precision, pool: pool, gpus: gpus)
    var stepSecondsBySeqLen: [Int: Double] = [:]
    func updateStepSeconds(seqLen: Int) throws(PlanError) -> Double {
      if let known = stepSecondsBySeqLen[seqLen] { return known }
      var job = update.job
      job.seqLen = seqLen
      do {
        let seconds = try StepTimeModel(job: job, chip: pool.chip, gpusPerNode: pool.gpusPerNode)
          .estimate().stepSeconds
        stepSecondsBySeqLen[seqLen] = seconds
        return seconds
      } catch {
        throw PlanError(error, chip: pool.chip)
      }
    }
    let memory = update.estimate.memory
    let trainingState = memory.weightsBytes + memory.gradientsBytes + memory.optimizerBytes
    let handOver =
      inference.residentWeightBytes / Link.network(pool.chip).bytesPerSecond
      + 2 * trainingState / Self.hostLinkBytesPerSecond
    let capacityTokens = inference.kvCapacityTokensPerEngine
    let perUpdate = Double(spec.samplesPerStep)
    let rewardFrom = spec.steps - spec.rewardModelSteps

    var rollouts: [RolloutPlan.Rollout] = []
    for index in 0..<spec.rollouts {
      let first = Double(index * spec.minibatchesPerRollout)
      let updates = min(Double(spec.minibatchesPerRollout), spec.steps - first)
      let samples = updates * perUpdate
      let mean = spec.meanLength.value(at: first + updates / 2)
      let cap = spec.maxLength.value(at: first)
      guard let lengths = LengthDistribution(meanTokens: mean, cv: spec.lengthCV, capTokens: cap)
      else {
        throw PlanError(
          key: "generated_tokens",
          "the mean generated length \(ConfigValue.format(mean)) at step "
            + "\(ConfigValue.format(first)) is not below the maximum length "
            + "\(ConfigValue.format(cap)) there")
      }
      try inference.checkRoom(forSequenceOf: spec.promptTokens + cap)
      let perEngine = samples / Double(engines)
      let (table, waves) = decodeTable(
        sequences: perEngine, lengths: lengths, capacityTokens: capacityTokens)
      let seqLen = Self.packed(spec.promptTokens + mean)
      let step = try updateStepSeconds(seqLen: seqLen)
      let rewardUpdates = max(0, min(first + updates, spec.steps) - max(first, rewardFrom))
      let forwardPasses = (spec.reference ? updates : 0) + rewardUpdates
      var rollout = RolloutPlan.Rollout(
          firstStep: first, updates: updates, samples: samples, lengths: lengths,
          prefillSeconds: inference.prefill(prompts: perEngine, promptTokens: spec.promptTokens)
            .seconds,
          // A forward pass costs a third of a training step's FLOPs (backward twice the
          // forward), at the rate the update reaches.
          scoringSeconds: forwardPasses * step / 3,
          updateSeconds: updates * step, handOverSeconds: handOver, waves: waves,
          cumulativeDecodeSeconds: table)
      rollout.capDraw = lengths.capDraw(of: samples)
      rollout.cappedSeconds = rollout.fixedSeconds + rollout.decodeSeconds(longestTokens: cap)
      rollouts.append(rollout)
    }
    return RolloutPlan(rollouts: rollouts, engines: engines, update: update)
  }

  /// Tokens the updates see per sample: prompt and mean generated length, rounded up to a
  /// multiple of 512 (the samples are packed into fixed-length chunks, R1 Supp. B.1, so the
  /// padding stands for the chunks' unused tail; it also keeps every cp and tp dividing it).
  static func packed(_ tokens: Double) -> Int {
    Int((tokens / 512).rounded(.up)) * 512
  }

  /// Sequences of one engine still generating at `tokens` (expected, at least the longest one),
  /// and the waves the KV cache forces.
  func decodeTable(sequences: Double, lengths: LengthDistribution, capacityTokens: Double)
    -> (cumulative: [Double], waves: Int)
  {
    let chunk = Self.chunkTokens
    let chunks = Int((lengths.capTokens / chunk).rounded(.up))
    var peak = 0.0
    for j in 0..<chunks {
      let t = (Double(j) + 0.5) * chunk
      peak = max(peak, sequences * lengths.survival(t) * (spec.promptTokens + t))
    }
    // Saturating: a KV capacity near zero must not trap (the planner refuses the hours it makes).
    let waves = max(1, Int(saturating: (peak / capacityTokens).rounded(.up)))
    let perWave = sequences / Double(waves)
    var cumulative = [0.0]
    cumulative.reserveCapacity(chunks + 1)
    var total = 0.0
    let iterations = chunk / spec.inference.tokensPerStep
    for j in 0..<chunks {
      let step = decodeStep(atTokens: (Double(j) + 0.5) * chunk, perWave: perWave, lengths: lengths)
      total += Double(waves) * iterations * step.stepSeconds
      cumulative.append(total)
    }
    return (cumulative, waves)
  }

  /// The decode step of the engine holding the longest sample once its sequences have generated
  /// `tokens`: the expected survivors of a wave, at least the longest one, with prompt + tokens
  /// cached each.
  func decodeStep(atTokens tokens: Double, perWave: Double, lengths: LengthDistribution)
    -> DecodeStep
  {
    let alive = max(1, perWave * lengths.survival(tokens))
    return inference.decodeStep(sequences: alive, context: spec.promptTokens + tokens)
  }

  /// Where the decode time of `rollout` goes, with its longest sample at `longest` tokens.
  func decodeParts(_ rollout: RolloutPlan.Rollout, engines: Int, longest: Double) -> DecodeParts {
    var parts = DecodeParts()
    let chunk = Self.chunkTokens
    let perWave = rollout.samples / Double(engines) / Double(rollout.waves)
    let iterations = chunk / spec.inference.tokensPerStep * Double(rollout.waves)
    var t = 0.0
    while t < longest {
      let width = min(chunk, longest - t)
      let step = decodeStep(atTokens: t + width / 2, perWave: perWave, lengths: rollout.lengths)
      parts.add(step, times: iterations * width / chunk)
      t += chunk
    }
    return parts
  }
}
