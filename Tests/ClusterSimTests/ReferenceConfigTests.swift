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

  /// DeepSeek-R1 (Nature 645, 2025, Supplementary B.4.4): the three H800 stages are 101K + 5K +
  /// 41K = 147K GPU-hours, $294K at $2 per GPU-hour; the preparatory A100 phase comes on top.
  @Test func deepSeekR1MatchesThePublishedCost() throws {
    let result = try Simulation.run(try Self.load("deepseek-r1.yaml"), replications: 5)
    let names = result.program.phases.map(\.name)
    #expect(names == ["prep-30b", "r1-zero", "sft-data", "r1"])
    let h800 = result.phases.indices.filter { result.program.phases[$0].poolIndex == 1 }
    let gpuHours = h800.reduce(0.0) { $0 + result.phases[$1].gpuHours.mean }
    let cost = h800.reduce(0.0) { $0 + result.phases[$1].costUSD.mean }
    #expect(abs(gpuHours - 147_000) / 147_000 < 0.005)
    #expect(abs(cost - 294_000) / 294_000 < 0.005)
    // r1-zero: 101K GPU-hours on 512 GPUs = 197.3 h (the paper: about 198 h); r1: 80.1 h.
    #expect(abs(result.phases[1].wallClockHours.mean - 197.27) < 0.01)
    #expect(abs(result.phases[3].wallClockHours.mean - 80.08) < 0.01)
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
    #expect(abs(result.total.gpuHours.mean - (gpuHours + 256 * prep.wallClockHours.mean)) < 1e-3)
    #expect(abs(result.total.costUSD.mean - (cost + prep.costUSD.mean)) < 1e-6)
    // Stages run back to back: the program ends when r1 does.
    #expect(abs(result.total.wallClockHours.mean - result.phases[3].endHours.mean) < 1e-9)
  }

  @Test func exampleConfigLoads() throws {
    let program = try Self.load("example.yaml")
    #expect(program.phases.count == 3)
    #expect(program.pools[1].spareNodes == 1)
  }
}
