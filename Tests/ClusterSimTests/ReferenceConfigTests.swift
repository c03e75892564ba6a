import Foundation
import SimKernel
import Testing

@testable import ClusterSim

/// The shipped configs against the published figures they encode.
@Suite struct ReferenceConfigTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func load(_ name: String) throws -> Program {
    try ConfigLoader.load(path: repository.appendingPathComponent("configs/\(name)").path)
  }

  /// DeepSeek-R1 from first principles (Nature 645, 2025, Supplementary B.4.4, Table 7): the
  /// published H800 stages are R1-Zero 101K, SFT data 5K and R1 41K GPU-hours, 147K and $294K
  /// at $2 per GPU-hour. The config gives models, data and schedules, never hours: each RL
  /// stage within ±25% of its figure, the three within ±15%. The SFT-data stage misses (about
  /// 1K GPU-hours predicted against 5K; docs/validation.md says why) and is not asserted.
  @Test func deepSeekR1FromFirstPrinciples() throws {
    let result = try Simulation.run(try Self.load("deepseek-r1.yaml"), replications: 5)
    let names = result.program.phases.map(\.name)
    #expect(
      names == [
        "prep-30b", "r1-zero", "r1-cold-start", "r1-rl-reasoning", "sft-data", "r1-sft",
        "r1-rl-all",
      ])
    for phase in result.program.phases.dropFirst() {
      switch phase.work {
      case .rl, .generate, .training: break
      default: Issue.record("\(phase.name) is not described from first principles")
      }
    }
    func gpuHours(_ phases: [String]) -> Double {
      phases.reduce(0.0) { sum, name in
        sum + result.phases[names.firstIndex(of: name)!].gpuHours.mean
      }
    }
    let zero = gpuHours(["r1-zero"])
    let r1 = gpuHours(["r1-cold-start", "r1-rl-reasoning", "r1-sft", "r1-rl-all"])
    let data = gpuHours(["sft-data"])
    print("R1: r1-zero \(zero), sft-data \(data), r1 \(r1) GPU-hours")
    #expect(abs(zero - 101_000) / 101_000 < 0.25)
    #expect(abs(r1 - 41_000) / 41_000 < 0.25)
    #expect(data > 0)
    let h800 = result.phases.indices.filter { result.program.phases[$0].poolIndex == 1 }
    let total = h800.reduce(0.0) { $0 + result.phases[$1].gpuHours.mean }
    let cost = h800.reduce(0.0) { $0 + result.phases[$1].costUSD.mean }
    #expect(abs(total - (zero + r1 + data)) < 1e-6)
    #expect(abs(total - 147_000) / 147_000 < 0.15)
    #expect(abs(cost - 294_000) / 294_000 < 0.15)
    // The RL hours are drawn per replication: they differ from one to the next.
    let hours = result.phases[1].wallClockHours
    #expect(hours.max > hours.min)
    // Prep: its compute comes from the step-time model. Whatever the step, the uninterrupted
    // hours must be the 50e9 tokens' model FLOPs over the 256 GPUs at the MFU `explain` reports,
    // and that MFU must be what A100 runs with flash attention reach (45-60% of the bf16 peak).
    // Its failures (RSC-1's A100 rate) add lost work, checkpoints and restarts on top, and every
    // replication's wall-clock time is exactly the sum of those parts.
    let prep = result.phases[0]
    let explanation = try #require(try ExplainReport(result.program, phase: "prep-30b").phases.first)
    let (job, estimate) = try #require(explanation.training)
    #expect(estimate.mfu > 0.45 && estimate.mfu < 0.60)
    let usefulHours = 50e9 * job.modelFLOPsPerToken / (256 * 312e12 * estimate.mfu) / 3600
    let scheduler = try ProgramScheduler(program: result.program)
    for replication in 0..<5 {
      var stream = RandomStream(seed: 1, replication: UInt64(replication))
      let o = try scheduler.run(replication: replication, stream: &stream).phases[0]
      #expect(abs(o.usefulHours - usefulHours) < 1e-6)
      let parts = o.usefulHours + o.lostWorkHours + o.checkpointHours + o.restartHours
        + o.waitForRepairHours
      #expect(abs(o.wallClockHours - parts) < 1e-6)
    }
    #expect(prep.wallClockHours.mean > usefulHours)
    #expect(prep.checkpointHours.mean > 0)
    #expect(abs(prep.costUSD.mean - 256 * prep.wallClockHours.mean * 1.99) < 1e-3)
    #expect(abs(result.total.gpuHours.mean - (total + 256 * prep.wallClockHours.mean)) < 1e-3)
    #expect(abs(result.total.costUSD.mean - (cost + prep.costUSD.mean)) < 1e-6)
    // Stages run back to back: the program ends when the last RL stage does.
    #expect(abs(result.total.wallClockHours.mean - result.phases[6].endHours.mean) < 1e-9)
  }

  @Test func exampleConfigLoads() throws {
    let program = try Self.load("example.yaml")
    #expect(program.phases.count == 3)
    #expect(program.pools[1].spareNodes == 1)
  }
}
