import Foundation
import SimKernel
import Testing

@testable import ClusterSim

/// A phase whose GPUs are not whole nodes holds, and pays for, whole nodes: every output says the
/// same GPUs (bug report q5-partial-node.yaml, 2026-12-07).
@Suite struct PartialNodeBillingTests {
  /// The reproducer: 16 nodes of 8 H100 at $2; "a" asks for 100 GPUs (13 nodes, 104 GPUs) for
  /// 10 h, then "b" 28 GPUs (4 nodes, 32 GPUs) for 10 h. Before, they were billed 1,000 and 280
  /// GPU-hours ($2,000 and $560).
  static let yaml = """
    cluster:
      pools:
        - {name: h100, chip: H100-SXM5-80GB, nodes: 16, price_per_gpu_hour: 2.0}
    phases:
      - {name: a, pool: h100, gpus: 100, hours: 10}
      - {name: b, pool: h100, gpus: 28, hours: 10}
    simulation: {replications: 1}
    """

  @Test func aPhaseIsBilledForTheWholeNodesItHolds() throws {
    let result = try Simulation.run(try ConfigLoader.parsePlan(yaml: Self.yaml, file: "q5.yaml"))
    // 13 nodes × 8 = 104 GPUs × 10 h = 1,040 GPU-hours at $2; 4 × 8 = 32 × 10 = 320 at $2.
    #expect(result.phases[0].gpuHours.mean == 1_040)
    #expect(result.phases[0].costUSD.mean == 2_080)
    #expect(result.phases[1].gpuHours.mean == 320)
    #expect(result.phases[1].costUSD.mean == 640)
    #expect(result.total.costUSD.mean == 2_720)
    // "b" waits for "a": 16 − 13 = 3 free nodes are fewer than the 4 it holds.
    #expect(result.phases[1].startHours.mean == 10)
    // Utilisation counts the held GPUs: 1,360 GPU-hours of 128 GPUs × 20 h.
    #expect(result.pools[0].utilization.mean == 1_360.0 / 2_560)
    // The JSON gives the GPUs asked for and those held.
    let json = ResultReport(result).json().rendered()
    #expect(json.contains("\"gpus\": 100,"))
    #expect(json.contains("\"held_gpus_by_pool\": {\n        \"h100\": 104\n      }"))
  }

  @Test func heldGPUsAreEveryGPUOfTheWholeNodes() {
    let phase = Phase(name: "p", poolIndex: 0, gpus: 100, work: .hours(1))
    #expect(phase.heldGPUs(gpusPerNode: 8) == 104)
    #expect(phase.heldGPUs(gpusPerNode: 4) == 100)
    #expect(phase.heldGPUs(gpusPerNode: 72) == 144)
  }

  /// A reserved pool is billed whole either way; the split between the phase and idle moves:
  /// 4 nodes of 8 at $2 for 10 h is $640; the phase of 12 GPUs holds 2 nodes, 16 GPUs: $320;
  /// idle (32 × 10 − 160) × 2 = $320.
  @Test func aReservedPoolSplitsHeldAndIdleByWholeNodes() throws {
    let pool = Pool(
      name: "p", chip: ChipCatalog.builtIn["H100-SXM5-80GB"]!, nodes: 4,
      cost: .reserved(pricePerGPUHourUSD: 2))
    let program = Program(
      source: "test", pools: [pool],
      phases: [Phase(name: "job", poolIndex: 0, gpus: 12, work: .hours(10))])
    var stream = RandomStream(seed: 1, replication: 0)
    let outcome = try ProgramScheduler(program: program).run(replication: 0, stream: &stream)
    #expect(outcome.phases[0].gpuHours == 160)
    #expect(outcome.phases[0].costUSD == 320)
    #expect(outcome.poolIdleCostUSD == [320])
    #expect(outcome.costUSD == 640)
  }

  /// The table gives the GPUs asked for and those held, and says what the held ones are; the
  /// Gantt gives the same phase GPUs, and a pool's schedulable GPUs with its spares apart.
  @Test func theTableAndTheGanttAgreeOnTheGPUs() throws {
    let plan = try ConfigLoader.parsePlan(yaml: Self.yaml, file: "q5.yaml")
    let table = ResultReport(try Simulation.run(plan)).table()
    #expect(table.contains("a      h100    H100-SXM5-80GB  100 (104 held)"))
    #expect(table.contains("b      h100    H100-SXM5-80GB    28 (32 held)"))
    #expect(table.contains(ResultReport.heldNote))
    let svg = GanttReport(try TracedReplication(plan: plan)).rendered()
    #expect(svg.contains("100 GPUs (104 held) · 10.0 h · $2,080"))
    #expect(svg.contains("H100-SXM5-80GB, 128 GPUs"))
    // Its pool has no failure model: the tooltip says so rather than "0 interruptions".
    #expect(svg.contains("$2,080, no failure model (interruptions not modelled)"))
    #expect(!svg.contains("0 interruptions"))
    let spared = Pool(
      name: "s", chip: ChipCatalog.builtIn["H100-SXM5-80GB"]!, nodes: 32, spareNodes: 1)
    #expect(GanttReport.poolGPUs(spared) == "256 GPUs + 8 spare")
  }

  /// Whole nodes already: the table is as before, with no note.
  @Test func wholeNodesShowOneNumber() throws {
    let yaml = Self.yaml.replacingOccurrences(of: "gpus: 100", with: "gpus: 96")
      .replacingOccurrences(of: "gpus: 28", with: "gpus: 32")
    let table = ResultReport(
      try Simulation.run(try ConfigLoader.parsePlan(yaml: yaml, file: "w.yaml"))
    ).table()
    #expect(table.contains("a      h100    H100-SXM5-80GB    96"))
    #expect(!table.contains("held"))
  }
}
