import Foundation
import Testing

@testable import ClusterSim

/// Issue 25: work refused only after it was done. The loader checks what is cheap (the phase
/// count, duplicate names) before it plans anything, and plans phases that differ only in their
/// name, dependencies, submission time or priority once.
@Suite struct CheapChecksFirstTests {
  /// One RL phase (about 9 ms to plan in a release build), to be copied.
  static func rlPhase(_ name: String, gpus: Int = 32) -> String {
    """
      - name: \(name)
        kind: rl
        pool: h100
        gpus: \(gpus)
        model: {layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256}
        steps: 64
        prompts_per_step: 16
        samples_per_prompt: 8
        minibatches_per_rollout: 4
        prompt_tokens: 200
        generated_tokens: {mean: [[0, 1000], [64, 3000]], cv: 0.5, max: 8192}
        inference: {tp: 2}
        parallelism: {tp: 2, pp: 1}

    """
  }

  static func config(_ phases: [String]) -> String {
    """
    cluster:
      pools:
        - {name: h100, chip: H100-SXM5-80GB, nodes: 4, price_per_gpu_hour: 2}
    phases:

    """ + phases.joined()
  }

  /// The reproducer (slow-refusal-and-rl-planning.sh): duplicated RL phases were each planned
  /// before the duplicate names were reported. Here the copies ask for more GPUs than the pool
  /// has, a planning error: it is not reached, only the duplicates are reported (0.17.0 reported
  /// the planning error of every copy as well).
  @Test func duplicateNamesAreRefusedBeforeAnyPlanning() {
    let yaml = Self.config((0..<3).map { _ in Self.rlPhase("grpo", gpus: 64) })
    do {
      _ = try ConfigLoader.parsePlan(yaml: yaml, file: "x.yaml")
      Issue.record("duplicate phases were accepted")
    } catch {
      #expect(
        error.issues.map(\.description) == [
          "x.yaml:18:11: phases[1].name: duplicate phase name \"grpo\" (first at line 5)",
          "x.yaml:31:11: phases[2].name: duplicate phase name \"grpo\" (first at line 5)",
        ])
    }
  }

  /// A dependency on no phase is found before planning too: 0.17.0 planned every phase, and
  /// when one could not be planned it never reached the dependencies at all.
  @Test func unknownDependenciesAreRefusedBeforeAnyPlanning() {
    var phases = (0..<2).map { Self.rlPhase("grpo\($0)", gpus: 64) }
    phases[1] += "    depends_on: [grpo]\n"
    do {
      _ = try ConfigLoader.parsePlan(yaml: Self.config(phases), file: "x.yaml")
      Issue.record("a dependency on no phase was accepted")
    } catch {
      #expect(
        error.issues.map(\.description) == [
          "x.yaml:31:18: phases[1].depends_on[0]: no phase named \"grpo\"; did you mean "
            + "\"grpo0\"? (phases: grpo0, grpo1)"
        ])
    }
  }

  /// Without duplicates the same copies meet the planner, which refuses them as before.
  @Test func uniqueCopiesStillMeetThePlanner() {
    let yaml = Self.config((0..<2).map { Self.rlPhase("grpo\($0)", gpus: 64) })
    do {
      _ = try ConfigLoader.parsePlan(yaml: yaml, file: "x.yaml")
      Issue.record("64 GPUs on a 32-GPU pool were accepted")
    } catch {
      #expect(error.issues.count == 2)
      #expect(error.issues.allSatisfy { $0.message == "64 GPUs requested but pool \"h100\" has 32" })
    }
  }

  /// Copies that differ only in name, dependencies, submission time and priority are planned
  /// once: their plans are equal and share one rollout table (0.17.0 planned and stored each).
  @Test func identicalPhasesShareOnePlan() throws {
    var phases = (0..<3).map { Self.rlPhase("grpo\($0)") }
    phases[1] += "    depends_on: [grpo0]\n    priority: 3\n"
    phases[2] += "    submit_at: 5\n"
    let plan = try ConfigLoader.parsePlan(yaml: Self.config(phases), file: "x.yaml")
    let tables = try plan.phases.map { try #require($0[0].rollouts) }
    #expect(tables[0] == tables[1] && tables[1] == tables[2])
    #expect(plan.phases.map { $0[0].phase } == [0, 1, 2])
    let addresses = tables.map { table in
      table.rollouts.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }
    #expect(Set(addresses).count == 1)
    // A phase that differs in what is planned (its GPUs) gets its own plan.
    let other = try ConfigLoader.parsePlan(
      yaml: Self.config([Self.rlPhase("a"), Self.rlPhase("b", gpus: 16)]), file: "x.yaml")
    let otherTables = try other.phases.map { try #require($0[0].rollouts) }
    #expect(otherTables[0].engines == 16 && otherTables[1].engines == 8)
  }

  @Test func tooManyPhasesAreRefusedBeforeReadingThem() {
    let yaml =
      "cluster:\n  pools:\n    - {name: h100, chip: H100-SXM5-80GB, nodes: 4, price_per_gpu_hour: 2}\n"
      + "phases:\n" + String(repeating: "  - 1\n", count: Program.maximumPhases + 1)
    do {
      _ = try ConfigLoader.parsePlan(yaml: yaml, file: "x.yaml")
      Issue.record("10,001 phases were accepted")
    } catch {
      #expect(
        error.issues.map(\.description) == [
          "x.yaml:5:3: phases: the config has 10,001 phases; at most 10,000 are accepted"
        ])
    }
  }
}

/// The run's CPU time, estimated from the plan (`RunCost`).
@Suite struct RunCostTests {
  @Test func theEstimateFollowsInterruptionsPhasesAndReplications() throws {
    let repository = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let plan = try ConfigLoader.loadPlan(
      path: repository.appendingPathComponent("configs/bench-reliability.yaml").path)
    let one = RunCost(plan, replications: 1)
    let many = RunCost(plan, replications: 1_000)
    #expect(abs(many.cpuSeconds - 1_000 * one.cpuSeconds) < 1e-9 * many.cpuSeconds)
    // Its events measured by `bench`: 159 per replication; the estimate is within a factor 2.
    #expect(one.eventsPerReplication > 80 && one.eventsPerReplication < 320)
    #expect(many.cpuSeconds < RunCost.noticeCPUSeconds)
  }

  @Test func aPhaseWithoutFailuresIsTwoEvents() throws {
    let plan = try ConfigLoader.parsePlan(
      yaml: """
        cluster:
          pools: [{name: a, chip: H100-SXM5-80GB, nodes: 2, price_per_gpu_hour: 2}]
        phases:
          - {name: x, pool: a, gpus: 8, hours: 10}
          - {name: y, pool: a, gpus: 8, hours: 10}
        """, file: "x.yaml")
    let cost = RunCost(plan, replications: 10)
    #expect(cost.eventsPerReplication == 4)
    #expect(abs(cost.cpuSeconds - 10 * (4 * 0.2e-6 + 2 * 3e-6)) < 1e-15)
    #expect(cost.described == "about 0.0 CPU-seconds (10 replications of about 4 events)")
    #expect(cost.onThreads(1) == "about 0.0 seconds on 1 thread")
  }

  @Test(arguments: [
    (30.0, "30.0 CPU-seconds"), (90.0, "1.5 CPU-minutes"), (7_200.0, "2.0 CPU-hours"),
    (1.6e6, "19 CPU-days"), (1e12, "11,574,074 CPU-days"), (Double.infinity, "inf CPU-days"),
  ])
  func durationsPickTheirUnit(seconds: Double, expected: String) {
    #expect(RunCost.duration(seconds) == expected)
  }
}
