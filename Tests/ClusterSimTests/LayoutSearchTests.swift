import Testing

@testable import ClusterSim

/// The layout search against an exhaustive loop written here from the step-time model's own
/// rules, and a case small enough to argue its winner by hand.
@Suite struct LayoutSearchTests {
  /// A search problem: a model and its data on `gpus` GPUs of `chip`, 8 per node.
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var spec: TrainingSpec
    var gpus: Int
    var testDescription: String { name }
  }

  /// Every key searched, ranked by speed alone (`extrapolate`): these tests hold the search to
  /// the fastest layout; `CalibratedRegionSearchTests` holds its preference for measured ones.
  static func spec(_ model: TransformerModel, seqLen: Int, globalBatch: Int) -> TrainingSpec {
    var layout = LayoutSpec.auto
    layout.extrapolate = true
    return TrainingSpec(
      model: model, seqLen: seqLen, globalBatch: globalBatch, steps: 1, layout: layout)
  }

  static func a100() throws -> Chip { try #require(ChipCatalog.builtIn["A100-SXM4-80GB"]) }

  /// A dense model of hidden 12288 with 8 heads and 2 key/value heads.
  static func dense(layers: Int, seqLen: Int, globalBatch: Int, gpus: Int) -> Case {
    Case(
      name: "dense \(layers) layers, 8 heads / 2 kv, hidden 12288, seq \(seqLen), \(gpus) GPUs",
      spec: spec(
        TransformerModel(
          layers: layers, hidden: 12288, ffn: 32768, heads: 8, kvHeads: 2, vocab: 32000,
          gatedFFN: true),
        seqLen: seqLen, globalBatch: globalBatch),
      gpus: gpus)
  }

  static let cases = [
    // 13.5e9 parameters and short sequences: too little compute per microbatch to hide ZeRO 3's
    // weight gathers across two nodes, so ZeRO 2 (and a pipeline) wins.
    dense(layers: 8, seqLen: 128, globalBatch: 16, gpus: 16),
    // 19.8e9 parameters, 8191-token sequences (a prime: no cp divides it) and tp at most 2 (2 kv
    // heads): the memory decides, and the winner needs recomputation. 12 layers: pp 8 only
    // unevenly, interleaving only at pp·v in {4, 6, 12}.
    dense(layers: 12, seqLen: 8191, globalBatch: 8, gpus: 8),
    Case(
      name: "MoE 8 layers, 8 routed experts (top 2), seq 128, 16 GPUs",
      spec: spec(
        TransformerModel(
          kind: .moe, layers: 8, hidden: 6144, ffn: 16384, heads: 16, kvHeads: 4, vocab: 32000,
          gatedFFN: true, routedExperts: 8, sharedExperts: 1, expertsPerToken: 2,
          expertFFN: 12288, denseLayers: 1),
        seqLen: 128, globalBatch: 32),
      gpus: 16),
  ]

  /// One layout at one microbatch with every ZeRO stage (0-3) and recomputation
  /// (none, selective, full): `grid[zero][recompute]`.
  struct Grid {
    var layout: ParallelLayout
    var microbatch: Int
    var grid: [[StepEstimate]]
  }

  /// Every layout of `gpus` GPUs that `StepTimeModel.validate()` accepts, built without the
  /// search's code: every tp ≤ GPUs per node (the search keeps tp inside a node by default), every
  /// pp and cp whose product with tp divides the GPUs, dp the rest, every ep dividing dp·cp, every
  /// schedule with every virtual-stage count 1…layers for interleaving, sequence parallelism and
  /// uneven stages on and off, and every microbatch dividing a replica's batch; each priced at
  /// every ZeRO stage and recomputation.
  static func everyLayout(
    _ spec: TrainingSpec, chip: Chip, gpusPerNode: Int, gpus: Int, _ body: (Grid) -> Void
  ) {
    func divisors(_ n: Int) -> [Int] { (1...n).filter { n % $0 == 0 } }
    let layers = spec.model.layers
    for tp in divisors(gpus) where tp <= gpusPerNode {
      for pp in divisors(gpus / tp) {
        for cp in divisors(gpus / (tp * pp)) {
          let dp = gpus / (tp * pp * cp)
          for ep in divisors(dp * cp) {
            for schedule in PipelineSchedule.allCases {
              for v in schedule == .interleaved ? Array(1...layers) : [1] {
                for sequenceParallel in [false, true] {
                  for uneven in [false, true] {
                    let base = ParallelLayout(
                      tensor: tp, pipeline: pp, context: cp, data: dp, expert: ep,
                      virtualStages: v, zero: 0, recompute: .none, schedule: schedule,
                      sequenceParallel: sequenceParallel, unevenPipeline: uneven)
                    let check = StepTimeModel(
                      job: spec.job(layout: base, precision: .bf16), chip: chip,
                      gpusPerNode: gpusPerNode)
                    guard (try? check.validate()) != nil else { continue }
                    let models = (0...3).map { zero in
                      Recompute.allCases.map { recompute in
                        var layout = base
                        layout.zero = zero
                        layout.recompute = recompute
                        return StepTimeModel(
                          job: spec.job(layout: layout, precision: .bf16), chip: chip,
                          gpusPerNode: gpusPerNode)
                      }
                    }
                    for microbatch in divisors(spec.globalBatch / dp) {
                      // The schedules' own needs: interleaving a multiple of pp microbatches,
                      // DualPipe an even number of at least 2·pp.
                      let m = spec.globalBatch / dp / microbatch
                      if base.pipeline > 1, base.schedule == .interleaved, m % base.pipeline != 0 {
                        continue
                      }
                      if base.pipeline > 1, base.schedule == .dualPipe,
                        m < 2 * base.pipeline || m % 2 != 0
                      {
                        continue
                      }
                      body(
                        Grid(
                          layout: base, microbatch: microbatch,
                          grid: models.map { $0.map { $0.estimate(microbatch: microbatch) } }))
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// The search's best step equals the fastest of every layout that fits, and none is faster;
  /// and the pruning it documents holds over every layout and microbatch: ZeRO 1 is never slower
  /// and never larger than 0 (`searchedZeroStages`), and more recomputation never makes a
  /// step faster (so only the least that fits is priced).
  ///
  /// "Never faster" holds up to rounding (a relative 1e-12): where the gradient reduction is
  /// exposed (dp·cp 16 with ZeRO 0, say), the extra backward of selective recomputation hides
  /// behind it, and the two steps differ only in the order of their floating-point sums (by one
  /// ulp, e.g. 3.3390352716630987 s without against 3.339035271663098 s with).
  @Test(arguments: cases)
  func searchFindsTheFastestOfEveryLayout(_ problem: Case) throws {
    let chip = try Self.a100()
    let hbm = chip.hbmGB * 1e9
    let found = LayoutSearch(
      spec: problem.spec, precision: .bf16, chip: chip, gpusPerNode: 8, gpus: problem.gpus
    ).run(keep: 1)
    let best = try #require(found.ranked.first)
    let rounding = 1e-12
    var fastest = Double.infinity
    var fitting = 0
    var misses = 0
    var faster: [String] = []
    var zeroViolations: [String] = []
    var recomputeViolations: [String] = []
    func note(_ list: inout [String], _ text: @autoclosure () -> String) {
      if list.count < 5 { list.append(text()) }
    }
    Self.everyLayout(problem.spec, chip: chip, gpusPerNode: 8, gpus: problem.gpus) { grid in
      func text(zero: Int, _ recompute: Int) -> String {
        var layout = grid.layout
        layout.zero = zero
        layout.recompute = Recompute.allCases[recompute]
        return LayoutText.short(layout, microbatch: grid.microbatch)
      }
      for (zero, row) in grid.grid.enumerated() {
        for (recompute, estimate) in row.enumerated() {
          guard estimate.memory.totalBytes <= hbm else {
            misses += 1
            continue
          }
          fitting += 1
          fastest = min(fastest, estimate.stepSeconds)
          if estimate.stepSeconds < best.estimate.stepSeconds * (1 - rounding) {
            note(
              &faster,
              "\(text(zero: zero, recompute)): \(estimate.stepSeconds) s")
          }
        }
      }
      for recompute in 0..<3 {
        let one = grid.grid[1][recompute]
        let other = grid.grid[0][recompute]
        if one.stepSeconds > other.stepSeconds * (1 + rounding)
          || one.memory.totalBytes > other.memory.totalBytes
        {
          note(
            &zeroViolations,
            "\(text(zero: 1, recompute)): \(one.stepSeconds) s, \(one.memory.totalBytes) B; "
              + "zero 0: \(other.stepSeconds) s, \(other.memory.totalBytes) B")
        }
      }
      for (zero, row) in grid.grid.enumerated() {
        for (less, more) in [(0, 1), (1, 2)]
        where row[less].stepSeconds > row[more].stepSeconds * (1 + rounding) {
          note(
            &recomputeViolations,
            "\(text(zero: zero, less)): \(row[less].stepSeconds) s > "
              + "\(text(zero: zero, more)): \(row[more].stepSeconds) s")
        }
      }
    }
    let chosen = LayoutText.short(best.layout, microbatch: best.estimate.microbatch)
    #expect(fitting > 0)
    #expect(
      faster.isEmpty,
      "faster than the search's \(chosen) (\(best.estimate.stepSeconds) s): \(faster)")
    #expect(abs(best.estimate.stepSeconds - fastest) <= rounding * fastest)
    #expect(best.estimate.memory.totalBytes <= hbm)
    #expect(best.layout.gpus == problem.gpus)
    #expect(zeroViolations.isEmpty, "\(zeroViolations)")
    #expect(recomputeViolations.isEmpty, "\(recomputeViolations)")
    #expect(misses > 0)
  }

  /// 4 layers of hidden 512 (13.6e6 parameters, 2.3 GB per GPU at most) on the 8 GPUs of one
  /// node, 256 sequences of 1024 tokens per step. Every layout splits the same FLOPs 8 ways, so
  /// the winner is the one that adds the least:
  /// - dp alone adds only the gradient reduction of 13.6e6 parameters (27 MB in bf16, well under
  ///   a millisecond on NVLink), which hides behind the backward: nothing is exposed;
  /// - tp adds all-reduces of the activations inside every layer, on the critical path, and
  ///   makes every matrix multiply smaller (less efficient);
  /// - cp adds the exchange of keys and values in every layer;
  /// - pp puts the logits of all its replica's sequences on the last stage (at pp 2 and dp 4
  ///   it computes the logits of 64 sequences where dp 8 computes 32), and adds sends and, but
  ///   for DualPipe at pp 2, a bubble.
  /// So tp 1 pp 1 cp 1 dp 8; one microbatch of all 32 of a replica's sequences (the largest
  /// multiplies, the most efficient); and ZeRO 2, whose per-microbatch reduction hides behind the
  /// backward, so it ties ZeRO 1 and wins on memory. (ZeRO 3 loses: its gathers are prefetched
  /// one layer ahead, so each pass's first gather is exposed.)
  @Test func dataParallelismWinsForAModelThatFitsOnOneGPU() throws {
    let chip = try Self.a100()
    let spec = Self.spec(
      TransformerModel(layers: 4, hidden: 512, heads: 8, vocab: 1024), seqLen: 1024,
      globalBatch: 256)
    let found = LayoutSearch(spec: spec, precision: .bf16, chip: chip, gpusPerNode: 8, gpus: 8)
      .run(keep: 2)
    let best = try #require(found.ranked.first)
    #expect(
      [best.layout.tensor, best.layout.pipeline, best.layout.context, best.layout.data]
        == [1, 1, 1, 8])
    #expect(best.estimate.microbatch == 32)
    #expect(best.layout.zero == 2)
    #expect(best.layout.recompute == .none)
    #expect(best.estimate.breakdown.dataParallel.exposedSeconds == 0)
    #expect(best.estimate.breakdown.tensorParallelSeconds == 0)
    #expect(best.estimate.breakdown.bubbleSeconds == 0)
    // The runner-up is the same split with ZeRO 1: as fast, more memory.
    let second = try #require(found.ranked.last)
    #expect(second.layout.zero == 1)
    #expect(second.estimate.stepSeconds == best.estimate.stepSeconds)
    #expect(second.estimate.memory.totalBytes > best.estimate.memory.totalBytes)
  }

  /// DeepSeek's DualPipe runs at least 2·pp microbatches, an even number (`DualPipe.step`
  /// asserts `num_chunks % 2 == 0 and num_chunks >= num_ranks * 2`), and interleaved 1F1B's
  /// bubble (p−1)(F+B)/v assumes at least p microbatches (Narayanan et al., SC '21 §2.2.2;
  /// Megatron requires a multiple of pp). With fewer, devices wait on each other whatever the
  /// schedule: one microbatch through 2 stages takes 2(F+B).
  @Test
  func searchPicksOnlySchedulesItsMicrobatchesCanFill() throws {
    let chip = try Self.a100()
    let problem = Self.cases[0]
    let found = LayoutSearch(
      spec: problem.spec, precision: .bf16, chip: chip, gpusPerNode: 8, gpus: problem.gpus
    ).run(keep: 10)
    for candidate in found.ranked {
      let m = candidate.estimate.microbatches
      let pp = candidate.layout.pipeline
      let text =
        LayoutText.short(candidate.layout, microbatch: candidate.estimate.microbatch)
        + ", \(m) microbatches"
      switch candidate.layout.schedule {
      case .dualPipe: #expect(m >= 2 * pp && m % 2 == 0, "\(text)")
      case .interleaved: #expect(m >= pp, "\(text)")
      case .oneFOneB, .zeroBubble: break
      }
    }
  }
}
