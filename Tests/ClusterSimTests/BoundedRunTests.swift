import Foundation
import SimKernel
import Testing

@testable import ClusterSim

/// Issue 14's bounded-time cases: what could run for minutes is refused up front with the reason,
/// and what stops at the event cap says what stopped it.
@Suite struct BoundedRunTests: ConfigCases {
  static var valid: String { maintenance }

  /// Maintenance every 0.001 h (3.6 s) for 0.0001 h: a 10,000-hour phase would be stopped about
  /// 11 million times; and a window shorter than a restart never lets the phase progress.
  static let maintenance = """
    cluster:
      pools:
        - name: h100
          chip: H100-SXM5-80GB
          nodes: 4
          price_per_gpu_hour: 2
          failures:
            maintenance: {every_hours: 0.001, duration_hours: 0.0001}
    phases:
      - name: long
        pool: h100
        gpus: 32
        hours: 10000
        restart_minutes: 0
    """

  @Test func maintenanceThatWouldNeverEndIsRefused() throws {
    #expect(
      messages(Self.maintenance) == [
        "configs/x.yaml:13:12: phases[0].hours: pool \"h100\" stops for maintenance every 0.001 h: the phase would be stopped 1.11e+07 times in one replication, more than the 2,000,000 a replication may simulate; space the maintenance out or shorten the phase"
      ])
    let slowRestart = Self.maintenance.replacingOccurrences(of: "restart_minutes: 0", with: "restart_minutes: 1")
    #expect(
      messages(slowRestart) == [
        "configs/x.yaml:14:22: phases[0].restart_minutes: pool \"h100\" stops for maintenance every 0.001 h, leaving 0.0009 h between stops, but each restart takes 0.01667 h (restart and restore), so the phase would never progress; restart faster or space the maintenance out"
      ])
    // Spaced out, it runs: 100 h of work, a stop of 0.01 h every 10 h, no work lost.
    let spaced = Self.maintenance
      .replacingOccurrences(of: "every_hours: 0.001, duration_hours: 0.0001", with: "every_hours: 10, duration_hours: 0.01")
      .replacingOccurrences(of: "hours: 10000", with: "hours: 100")
    let result = try Simulation.run(try ConfigLoader.parse(yaml: spaced, file: "x"), replications: 2)
    #expect(abs(result.phases[0].statistics[.wallClockHours].mean - (100 + 10 * 0.01)) < 0.02)
  }

  /// The scheduler's own cap, on a plan made by hand past the planner's guard: the message names
  /// maintenance, not failures.
  @Test func eventCapNamesMaintenance() throws {
    let pool = Pool(
      name: "p", chip: ChipCatalog.builtIn["H100-SXM5-80GB"]!, nodes: 4, spareNodes: 0,
      pricePerGPUHourUSD: 2,
      failures: FailureModel(maintenance: Maintenance(everyHours: 0.01, durationHours: 0.001)))
    let phase = Phase(
      name: "long", poolIndex: 0, gpus: 32, work: .hours(1000),
      checkpoint: CheckpointPolicy(restartHours: 0.05))
    let program = Program(source: "test", pools: [pool], phases: [phase])
    #expect(throws: PlanError.self) { try Planner(program).plan() }
    let plan = PhasePlan(
      phase: 0, pool: 0, gpus: 32, nodes: 4, workHours: 50, training: nil,
      checkpoint: phase.checkpoint, mtbfHours: .infinity, expectedWallHours: .infinity)
    let scheduler = ProgramScheduler(
      plan: ProgramPlan(program: program, phases: [[plan]]), maximumEvents: 2_000)
    var stream = RandomStream(seed: 1, replication: 0)
    let error = #expect(throws: SimulationError.self) {
      _ = try scheduler.run(replication: 0, stream: &stream)
    }
    #expect(error?.message.contains("planned maintenance interrupts it before it saves its work") == true)
    #expect(error?.message.contains("failures outpace") == false)
  }

  /// A million nodes failing at Llama 3's rate for 20,000 h: 12 million interruptions expected in
  /// one replication, refused with the count; 100,000 nodes held with no spare and no
  /// checkpoints (an interruption every 3.8 minutes): refused by the expected-time guard.
  @Test func hopelessScalesAreRefusedUpFront() {
    let huge = """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 1000000, spare_nodes: 50000, price_per_gpu_hour: 2, failures: {profile: llama3}}
      phases:
        - {name: run, pool: h100, gpus: 8000000, hours: 20000, checkpoint: {interval: auto, write_minutes: 0.1, restore_minutes: 0.1}, restart_minutes: 0.1}
      """
    let found = messages(huge)
    #expect(found.count == 1)
    #expect(found.first?.hasPrefix("configs/x.yaml:5:35: phases[0].gpus: its 1,000,000 nodes are expected to be interrupted 1.22e+07 times in one replication") == true)
    let held = Self.heldYAML
    #expect(messages(held).first?.contains("the phase is expected to take longer than any bound") == true)
  }

  static let heldYAML = """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 100000, price_per_gpu_hour: 2, failures: {profile: llama3}}
      phases:
        - {name: run, pool: h100, gpus: 800000, hours: 100}
      """

  @Test func phaseCountIsBounded() {
    let many = """
      cluster:
        pools:
          - {name: a100, chip: A100-SXM4-80GB, nodes: 8, price_per_gpu_hour: 2}
      phases:
        - {name: base, pool: a100, gpus: 8, hours: 1}
      workload:
        generate: {count: 10000, pools: [a100], arrival: {every_hours: 1}, gpus: 8, hours: {distribution: fixed, mean_hours: 1}}
      """
    #expect(
      messages(many) == [
        "configs/x.yaml:7:3: workload: the program has 10001 phases (the config's and the generated ones); at most 10,000 are accepted"
      ])
    #expect(
      messages(many.replacingOccurrences(of: "count: 10000", with: "count: 10001")) == [
        "configs/x.yaml:7:21: workload.generate.count: must be at most 10000, got 10001"
      ])
  }
}
