import Foundation
import SimKernel
import Testing

@testable import ClusterSim

/// The failure, storage and checkpoint keys: what loads, and every bad input with its message.
/// Line numbers are those of `valid`.
@Suite struct ReliabilityConfigTests: ConfigCases {
  static let valid = """
    cluster:
      storage: {write_gb_per_s: 100, read_gb_per_s: 200}
      pools:
        - name: h100
          chip: H100-SXM5-80GB
          nodes: 16
          spare_nodes: 2
          price_per_gpu_hour: 2
          failures:
            components:
              - {name: gpu, category: gpu, per_gpu_hour: 1e-5, repair_hours: 24}
              - {name: host, per_node_day: 0.012, distribution: weibull, shape: 0.7, repair: lognormal, repair_hours: 12, repair_sd_hours: 6}
              - {name: software, mtbf_hours: 5000, takes_node_down: false}
            maintenance: {every_hours: 720, duration_hours: 4}
    phases:
      - name: train
        pool: h100
        gpus: 128
        model: {layers: 32, hidden: 4096, heads: 32, vocab: 32000}
        seq_len: 4096
        global_batch: 512
        tokens: 1e11
        parallelism: {tp: 8}
        checkpoint: {interval: auto}
        restart_minutes: 15
        elastic: true
    """

  @Test func validReliabilityConfigLoads() throws {
    let program = try ConfigLoader.parse(yaml: Self.valid, file: "configs/x.yaml")
    let failures = program.pools[0].failures
    #expect(failures.components.map(\.name) == ["gpu", "host", "software"])
    // 1e-5 per GPU-hour × 8 GPUs; 0.012 per node-day / 24; 1 / 5000 h.
    #expect(abs(failures.components[0].ratePerNodeHour - 8e-5) < 1e-18)
    #expect(abs(failures.components[1].ratePerNodeHour - 0.0005) < 1e-18)
    #expect(abs(failures.components[2].ratePerNodeHour - 0.0002) < 1e-18)
    #expect(failures.components[1].shape == 0.7)
    #expect(failures.components[1].repair == .logNormal(mean: 12, standardDeviation: 6))
    #expect(failures.components[0].repair == .fixed(24))
    #expect(!failures.components[2].takesNodeDown)
    #expect(failures.maintenance == Maintenance(everyHours: 720, durationHours: 4))

    let phase = program.phases[0]
    guard case .training(let job) = phase.work else {
      Issue.record("expected a training phase")
      return
    }
    // 14 bytes per parameter at 100 GB/s to write, 200 GB/s to read.
    let sizeGB = job.model.totalParams * 14 / 1e9
    #expect(abs(phase.checkpoint.writeHours - sizeGB / 100 / 3600) < 1e-15)
    #expect(abs(phase.checkpoint.restoreHours - sizeGB / 200 / 3600) < 1e-15)
    #expect(abs(phase.checkpoint.restartHours - 0.25) < 1e-15)
    // Daly's interval for the MTBF of 16 nodes at 8e-5 + 5e-4 + 2e-4 per node-hour.
    let mtbf = 1 / (16 * 0.00078)
    let daly = CheckpointMath.dalyIntervalHours(
      writeHours: phase.checkpoint.writeHours, mtbfHours: mtbf)
    #expect(phase.checkpoint.intervalIsAuto)
    let planned = try Planner(program).plan().phases[0][0].checkpoint
    #expect(abs((planned.intervalHours ?? 0) - daly) < 1e-12)
    #expect(phase.elastic)
  }

  /// The llama3 profile, scaled.
  @Test func profileLoads() throws {
    let components = Self.valid.components(separatedBy: "\n").filter {
      $0.hasPrefix("        components:") || $0.hasPrefix("          - {name:")
    }
    #expect(components.count == 4)
    let yaml = edited(
      components.joined(separator: "\n") + "\n", "        profile: llama3\n        scale: 0.5\n")
    let program = try ConfigLoader.parse(yaml: yaml, file: "configs/x.yaml")
    #expect(program.pools[0].failures.components == FailureProfiles.llama3.components(gpusPerNode: 8, scale: 0.5))
  }

  static let cases: [(old: String, new: String, expected: String)] = [
    ("{name: gpu, category: gpu, per_gpu_hour: 1e-5, repair_hours: 24}", "{name: gpu, per_gpu_hour: 1e-5, per_node_day: 1, repair_hours: 24}",
     "configs/x.yaml:11:59: cluster.pools[0].failures.components[0].per_node_day: the rate is given twice (per_gpu_hour and per_node_day); keep exactly one"),
    ("{name: gpu, category: gpu, per_gpu_hour: 1e-5, repair_hours: 24}", "{name: gpu, repair_hours: 24}",
     "configs/x.yaml:11:13: cluster.pools[0].failures.components[0]: missing the failure rate: give one of per_gpu_hour, per_node_day or mtbf_hours"),
    ("distribution: weibull, shape: 0.7,", "distribution: weibull,",
     "configs/x.yaml:12:13: cluster.pools[0].failures.components[1]: missing required key \"shape\""),
    ("distribution: weibull, shape: 0.7,", "distribution: weibul, shape: 0.7,",
     "configs/x.yaml:12:61: cluster.pools[0].failures.components[1].distribution: unknown distribution \"weibul\"; did you mean \"weibull\"? (one of: exponential, weibull)"),
    ("{name: software, mtbf_hours: 5000, takes_node_down: false}", "{name: software, mtbf_hours: 5000, takes_node_down: false, repair_hours: 2}",
     "configs/x.yaml:13:86: cluster.pools[0].failures.components[2].repair_hours: a failure that does not take the node down has no repair; remove repair_hours"),
    ("{name: gpu, category: gpu, per_gpu_hour: 1e-5, repair_hours: 24}", "{name: gpu, category: gpu, per_gpu_hour: 1e-5}",
     "configs/x.yaml:11:13: cluster.pools[0].failures.components[0]: missing required key \"repair_hours\""),
    ("maintenance: {every_hours: 720, duration_hours: 4}", "maintenance: {every_hours: 4, duration_hours: 4}",
     "configs/x.yaml:14:55: cluster.pools[0].failures.maintenance.duration_hours: maintenance of 4 hours every 4 hours leaves no time to run; make it shorter than every_hours"),
    ("        components:", "        profile: llama\n        components:",
     "configs/x.yaml:10:18: cluster.pools[0].failures.profile: unknown failure profile \"llama\"; did you mean \"llama3\"? (profiles: llama3)"),
    ("checkpoint: {interval: auto}", "checkpoint: {interval: soon}",
     "configs/x.yaml:24:28: phases[0].checkpoint.interval: expected hours between checkpoints, auto or none, got \"soon\""),
    ("checkpoint: {interval: auto}", "checkpoint: {write_minutes: 1}",
     "configs/x.yaml:24:17: phases[0].checkpoint: missing required key \"interval\""),
    ("restart_minutes: 15", "restart_minutes: -1",
     "configs/x.yaml:25:22: phases[0].restart_minutes: must be zero or more, got -1"),
    ("elastic: true", "elastic: maybe",
     "configs/x.yaml:26:14: phases[0].elastic: expected true or false, got \"maybe\""),
    ("  storage: {write_gb_per_s: 100, read_gb_per_s: 200}\n", "",
     "configs/x.yaml:23:17: phases[0].checkpoint: missing write_minutes: give it, or give cluster.storage.write_gb_per_s so the 94.3 GB checkpoint sets it"),
    ("  storage: {write_gb_per_s: 100, read_gb_per_s: 200}", "  storage: {write_gbps: 100}",
     "configs/x.yaml:2:13: cluster.storage.write_gbps: unknown key \"write_gbps\"; did you mean \"write_gb_per_s\"?\n"
       + "configs/x.yaml:24:17: phases[0].checkpoint: missing write_minutes: give it, or give cluster.storage.write_gb_per_s so the 94.3 GB checkpoint sets it"),
  ]

  @Test(arguments: cases)
  func badReliabilityInput(old: String, new: String, expected: String) {
    #expect(messages(edited(old, new)).joined(separator: "\n") == expected)
  }
}
