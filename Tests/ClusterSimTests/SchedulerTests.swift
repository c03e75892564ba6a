import SimKernel
import Testing

@testable import ClusterSim

@Suite struct SchedulerTests {
  static let h800 = Pool(
    name: "h800", chip: ChipCatalog.builtIn["H800-SXM5-80GB"]!, nodes: 64, pricePerGPUHourUSD: 2)
  static let a100 = Pool(
    name: "a100", chip: ChipCatalog.builtIn["A100-SXM4-80GB"]!, nodes: 4, pricePerGPUHourUSD: 1.5)

  func run(_ phases: [Phase], pools: [Pool] = [h800, a100]) throws -> ReplicationOutcome {
    let program = Program(source: "test", pools: pools, phases: phases)
    var stream = RandomStream(seed: 1, replication: 0)
    return try ProgramScheduler(program: program).run(replication: 0, stream: &stream)
  }

  @Test func phasesThatFitTogetherRunTogether() throws {
    let outcome = try run([
      Phase(name: "a", poolIndex: 0, gpus: 256, work: .hours(10)),
      Phase(name: "b", poolIndex: 0, gpus: 256, work: .hours(4)),
    ])
    #expect(outcome.phases.map(\.startHours) == [0, 0])
    #expect(outcome.phases.map(\.endHours) == [10, 4])
    #expect(outcome.wallClockHours == 10)
    #expect(outcome.gpuHours == 256 * 14)
    #expect(outcome.costUSD == 256 * 14 * 2)
  }

  @Test func phasesThatDoNotFitRunOneAfterTheOtherInConfigOrder() throws {
    let outcome = try run([
      Phase(name: "a", poolIndex: 0, gpus: 384, work: .hours(10)),
      Phase(name: "b", poolIndex: 0, gpus: 256, work: .hours(4)),
    ])
    #expect(outcome.phases.map(\.startHours) == [0, 10])
    #expect(outcome.phases.map(\.endHours) == [10, 14])
  }

  /// First come, first served: a small phase behind a waiting big one waits too (no backfill).
  @Test func noPhaseOvertakesTheHeadOfItsPool() throws {
    let outcome = try run([
      Phase(name: "a", poolIndex: 0, gpus: 512, work: .hours(10)),
      Phase(name: "b", poolIndex: 0, gpus: 512, work: .hours(5)),
      Phase(name: "c", poolIndex: 0, gpus: 8, work: .hours(1)),
    ])
    #expect(outcome.phases.map(\.startHours) == [0, 10, 15])
    #expect(outcome.wallClockHours == 16)
  }

  @Test func dependenciesAcrossPools() throws {
    let outcome = try run([
      Phase(name: "main", poolIndex: 0, gpus: 512, dependencies: [1], work: .gpuHours(5120)),
      Phase(name: "prep", poolIndex: 1, gpus: 32, work: .hours(3)),
      Phase(name: "side", poolIndex: 0, gpus: 64, work: .hours(2)),
    ])
    // "side" is ready at once and the head of h800's queue ("main") is not ready, so it runs.
    #expect(outcome.phases.map(\.startHours) == [3, 0, 0])
    #expect(outcome.phases.map(\.endHours) == [13, 3, 2])
    #expect(outcome.phases[0].gpuHours == 5120)
    #expect(outcome.phases[1].costUSD == 32 * 3 * 1.5)
    #expect(outcome.events == 3)
  }

  /// 6·N·D / (GPUs × peak × MFU): 6 × 7e9 × 1e12 / (128 × 989.5e12 × 0.4) s = 230.3 h, by hand:
  /// 4.2e22 / 5.06624e16 = 829,017.2 s.
  @Test func tokenWorkUsesSixND() throws {
    let phase = Phase(
      name: "p", poolIndex: 0, gpus: 128,
      work: .tokens(tokens: 1e12, activeParams: 7e9, mfu: 0.4))
    func hours(_ phase: Phase) throws -> Double {
      try Planner(Program(source: "t", pools: [Self.h800], phases: [phase]))
        .plan(phase: 0, pool: 0).workHours
    }
    let bf16 = try hours(phase)
    #expect(abs(bf16 * 3600 - 829_017.2) < 0.1)
    let fp8 = Phase(
      name: "p", poolIndex: 0, gpus: 128, precision: .fp8,
      work: .tokens(tokens: 1e12, activeParams: 7e9, mfu: 0.4))
    #expect(abs(try hours(fp8) - bf16 * 989.5 / 1979) < 1e-9)
  }
}
