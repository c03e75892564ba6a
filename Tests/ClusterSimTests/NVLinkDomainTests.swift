import Testing

@testable import ClusterSim

/// The GPUs NVLink reaches: a node, or a chip's multi-node NVLink domain (an NVL72 rack of
/// 4-GPU trays); where the step-time model chooses NVLink or the network.
@Suite struct NVLinkDomainTests {
  /// A domain joins nodes only when larger than the node and than one 8-GPU baseboard.
  @Test func reachableGPUs() throws {
    let gb200 = try #require(ChipCatalog.builtIn["GB200-NVL72-186GB"])
    let b200 = try #require(ChipCatalog.builtIn["B200-SXM-180GB"])
    #expect(gb200.nvlinkGPUs(gpusPerNode: 4) == 72)
    #expect(gb200.nvlinkGPUs(gpusPerNode: 8) == 72)
    #expect(b200.nvlinkGPUs(gpusPerNode: 8) == 8)
    #expect(b200.nvlinkGPUs(gpusPerNode: 4) == 4)  // a split baseboard: one partition per node
    #expect(b200.nvlinkGPUs(gpusPerNode: 16) == 16)
    var custom = b200
    custom.nvlinkDomainGPUs = 16
    #expect(custom.nvlinkGPUs(gpusPerNode: 8) == 16)
    let pool = Pool(name: "rack", chip: gb200, nodes: 18, gpusPerNode: 4)
    #expect(pool.nvlinkGPUs == 72 && pool.schedulableGPUs == 72)
  }

  static let model = TransformerModel(layers: 8, hidden: 8192, heads: 64, vocab: 128_256)

  static func model(chip: Chip, gpusPerNode: Int, tp: Int = 8, ep: Int = 1) -> StepTimeModel {
    let job = TrainingJob(
      model: model, seqLen: 4096, globalBatch: 8, steps: 1,
      layout: ParallelLayout(tensor: tp, data: 1), precision: .bf16)
    return StepTimeModel(job: job, chip: chip, gpusPerNode: gpusPerNode)
  }

  /// tp 8 over two 4-GPU trays, one microbatch of 4,096 tokens at hidden 8192: two all-reduces of
  /// 2 · 4096 · 8192 = 67,108,864 bytes, each 2 · (7α + 7/8 · bytes/β).
  /// GB200 NVL72 (domain 72): NVLink, β = 1800/2 · 0.8 = 720 GB/s, α = 3.33 µs:
  ///   7 · 3.33 µs + 0.875 · 93.206756 µs = 23.31 + 81.555911 = 104.865911 µs; × 4 = 419.463644 µs.
  /// B200 (domain 8) on 4-GPU nodes: the network, β = 400/8 · 0.8 = 40 GB/s, α = 3.7 µs:
  ///   7 · 3.7 µs + 0.875 · 1677.7216 µs = 25.9 + 1468.0064 = 1493.9064 µs; × 4 = 5975.6256 µs.
  @Test func tensorParallelAcrossTraysUsesTheRacksNVLink() throws {
    let gb200 = try #require(ChipCatalog.builtIn["GB200-NVL72-186GB"])
    let b200 = try #require(ChipCatalog.builtIn["B200-SXM-180GB"])
    let rack = Self.model(chip: gb200, gpusPerNode: 4)
    let split = Self.model(chip: b200, gpusPerNode: 4)
    let board = Self.model(chip: b200, gpusPerNode: 8)
    #expect(abs(rack.tensorParallelForward(microbatch: 1) - 419.463644e-6) < 1e-11)
    #expect(abs(split.tensorParallelForward(microbatch: 1) - 5975.6256e-6) < 1e-10)
    // B200's NVLink equals GB200's: on one 8-GPU board tp 8 costs what it costs in the rack.
    #expect(abs(board.tensorParallelForward(microbatch: 1) - 419.463644e-6) < 1e-11)
  }

  /// pp 2 over stages of tp 8: inside an NVL72 rack the next stage is reached over NVLink; on
  /// 8-GPU boards a stage fills the node and the send goes over the network.
  @Test func pipelineStagesInsideTheRackSendOverNVLink() throws {
    let gb200 = try #require(ChipCatalog.builtIn["GB200-NVL72-186GB"])
    let b200 = try #require(ChipCatalog.builtIn["B200-SXM-180GB"])
    func send(_ chip: Chip, gpusPerNode: Int) -> Double {
      let job = TrainingJob(
        model: Self.model, seqLen: 4096, globalBatch: 8, steps: 1,
        layout: ParallelLayout(tensor: 8, pipeline: 2, data: 1), precision: .bf16)
      return StepTimeModel(job: job, chip: chip, gpusPerNode: gpusPerNode)
        .pipelineSend(microbatch: 1)
    }
    // 2 · 4096 · 8192 / 8 = 8,388,608 bytes: NVLink 3.33 µs + 11.650844 µs; network 3.7 µs +
    // 209.7152 µs.
    #expect(abs(send(gb200, gpusPerNode: 4) - 14.980844e-6) < 1e-11)
    #expect(abs(send(b200, gpusPerNode: 8) - 213.4152e-6) < 1e-10)
  }

  /// ep 16 (dp 16, tp 1) of an MoE layer, hidden 4096, k = 8 of 64 experts, 4,096 tokens, bf16
  /// dispatch and combine (8,192 bytes a token each way).
  /// GB200 (one NVL72 domain, G = 1): each way 4096 · 8 · 15/16 · 8192 B / 720 GB/s + 3.33 µs
  ///   = 349.525333 + 3.33 = 352.855333 µs; both ways 705.710667 µs.
  /// B200 on 8-GPU boards (G = 2): a token reaches 1 − (1/2)^8 = 0.99609375 other boards, so
  ///   4096 · 0.99609375 · 8192 B / 40 GB/s = 835.584 µs over the network, slower than the
  ///   372.827022 µs of its NVLink fan-out; + 3.7 µs; both ways 1,678.568 µs.
  @Test func expertParallelInsideTheRackStaysOnNVLink() throws {
    let gb200 = try #require(ChipCatalog.builtIn["GB200-NVL72-186GB"])
    let b200 = try #require(ChipCatalog.builtIn["B200-SXM-180GB"])
    let moe = TransformerModel(
      kind: .moe, layers: 4, hidden: 4096, heads: 32, vocab: 32_000, routedExperts: 64,
      expertsPerToken: 8, expertFFN: 1024)
    func forward(_ chip: Chip, gpusPerNode: Int) -> Double {
      let job = TrainingJob(
        model: moe, seqLen: 4096, globalBatch: 16, steps: 1,
        layout: ParallelLayout(data: 16, expert: 16), precision: .bf16)
      return StepTimeModel(job: job, chip: chip, gpusPerNode: gpusPerNode)
        .expertParallelForward(microbatch: 1)
    }
    #expect(abs(forward(gb200, gpusPerNode: 4) - 705.710667e-6) < 1e-11)
    #expect(abs(forward(b200, gpusPerNode: 8) - 1678.568e-6) < 1e-11)
  }

  /// A bad domain is refused at its key, in one line.
  @Test func badDomainIsRefused() {
    for (value, rule) in [
      ("0", "must be positive, got 0"), ("577", "must be at most 576, got 577"),
      ("4.5", "must be a whole number, got 4.5"),
    ] {
      let yaml = """
        chips:
          B200-SXM-180GB: {nvlink_domain_gpus: \(value)}
        cluster:
          pools:
            - {name: x, chip: B200-SXM-180GB, nodes: 1, price_per_gpu_hour: 1}
        phases:
          - {name: p, pool: x, gpus: 8, hours: 1}
        """
      let message = PrecisionRecipeTests.error(yaml)
      #expect(message == "c.yaml:2:40: chips.B200-SXM-180GB.nvlink_domain_gpus: \(rule)")
    }
  }

  /// A config sets the domain of a built-in or new chip.
  @Test func configSetsTheDomain() throws {
    let yaml = """
      chips:
        B200-SXM-180GB: {nvlink_domain_gpus: 16}
      cluster:
        pools:
          - {name: x, chip: B200-SXM-180GB, nodes: 2, price_per_gpu_hour: 1}
      phases:
        - {name: p, pool: x, gpus: 16, hours: 1}
      """
    let program = try ConfigLoader.parse(yaml: yaml, file: "c.yaml")
    #expect(program.pools[0].chip.nvlinkDomainGPUs == 16 && program.pools[0].nvlinkGPUs == 16)
    #expect(ChipCatalog.builtIn["B200-SXM-180GB"]?.nvlinkDomainGPUs == 8)
  }
}
