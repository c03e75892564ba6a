import SimKernel
import Testing

@testable import ClusterSim

/// Hand-checked schedules for each policy: exact start and end times.
@Suite struct SchedulingPolicyTests {
  /// 8 nodes of 8 GPUs.
  static let pool = Pool(
    name: "p", chip: ChipCatalog.builtIn["H100-SXM5-80GB"]!, nodes: 8, pricePerGPUHourUSD: 2)

  func run(_ phases: [Phase], policy: SchedulingPolicy, pools: [Pool] = [pool]) throws
    -> ReplicationOutcome
  {
    let program = Program(source: "test", pools: pools, phases: phases, policy: policy)
    var stream = RandomStream(seed: 1, replication: 0)
    return try ProgramScheduler(program: program).run(replication: 0, stream: &stream)
  }

  static func phase(
    _ name: String, gpus: Int, hours: Double, at submit: Double = 0, priority: Int = 0
  ) -> Phase {
    Phase(
      name: name, poolIndex: 0, gpus: gpus, work: .hours(hours), submitAtHours: submit,
      priority: priority)
  }

  /// A holds the pool 0–10 h; B (priority 0) arrives at 1 h, C (priority 5) at 2 h. FIFO runs B
  /// then C; priority runs C first. Queue waits count from arrival.
  @Test func fifoAndPriority() throws {
    let phases = [
      Self.phase("A", gpus: 64, hours: 10), Self.phase("B", gpus: 64, hours: 5, at: 1),
      Self.phase("C", gpus: 64, hours: 2, at: 2, priority: 5),
    ]
    let fifo = try run(phases, policy: .fifo)
    #expect(fifo.phases.map(\.startHours) == [0, 10, 15])
    #expect(fifo.phases.map(\.endHours) == [10, 15, 17])
    #expect(fifo.phases.map(\.queueWaitHours) == [0, 9, 13])
    let priority = try run(phases, policy: .priority)
    #expect(priority.phases.map(\.startHours) == [0, 12, 10])
    #expect(priority.phases.map(\.endHours) == [10, 17, 12])
    #expect(priority.phases.map(\.queueWaitHours) == [0, 11, 8])
  }

  /// A holds 6 of 8 nodes 0–10 h. H (all 8 nodes) arrives at 1 h: its reservation is 10 h, with
  /// no node to spare then. J1 (2 nodes, 12 h) arrives at 2 h: it would run past 10 h and the
  /// reservation has no spare node, so it must not start. J2 (2 nodes, 7 h) arrives at 3 h and
  /// ends at 10 h exactly: it may. FIFO starts neither early.
  @Test func easyBackfill() throws {
    let phases = [
      Self.phase("A", gpus: 48, hours: 10), Self.phase("H", gpus: 64, hours: 5, at: 1),
      Self.phase("J1", gpus: 16, hours: 12, at: 2), Self.phase("J2", gpus: 16, hours: 7, at: 3),
    ]
    let backfill = try run(phases, policy: .backfill)
    #expect(backfill.phases.map(\.startHours) == [0, 10, 15, 3])
    #expect(backfill.phases.map(\.endHours) == [10, 15, 27, 10])
    let fifo = try run(phases, policy: .fifo)
    #expect(fifo.phases.map(\.startHours) == [0, 10, 15, 15])
    #expect(fifo.phases.map(\.endHours) == [10, 15, 27, 22])
  }

  /// With nodes to spare at the reservation, a long job may backfill onto them: A holds 4 of 8
  /// nodes 0–10 h; H needs 6 from 10 h, leaving 2 spare; J (2 nodes, 20 h) starts at once.
  @Test func backfillOntoSpareNodes() throws {
    let phases = [
      Self.phase("A", gpus: 32, hours: 10), Self.phase("H", gpus: 48, hours: 5, at: 1),
      Self.phase("J", gpus: 16, hours: 20, at: 2), Self.phase("K", gpus: 16, hours: 20, at: 3),
    ]
    let outcome = try run(phases, policy: .backfill)
    // J takes the 2 spare nodes; K would take 2 more that H needs at 10 h, so it waits for A.
    #expect(outcome.phases.map(\.startHours) == [0, 10, 2, 15])
    #expect(outcome.phases.map(\.endHours) == [10, 15, 22, 35])
  }

  /// A phase allowed on two pools runs where it finishes first: on b at once (done at 3 h)
  /// rather than on a after X (done at 12 h); and it waits for the fast pool when that still
  /// finishes first (Y: 1 h wait + 3 h on b beats 10 h on a).
  @Test func placementOnTheEarliestFinish() throws {
    let a = Pool(
      name: "a", chip: ChipCatalog.builtIn["A100-SXM4-80GB"]!, nodes: 4, pricePerGPUHourUSD: 1)
    let b = Pool(
      name: "b", chip: ChipCatalog.builtIn["H100-SXM5-80GB"]!, nodes: 4, pricePerGPUHourUSD: 2)
    let placed = try run(
      [
        Phase(name: "X", poolIndex: 0, gpus: 32, work: .hours(10)),
        Phase(name: "P", poolIndex: 0, gpus: 32, work: .hours(3), poolIndices: [0, 1]),
      ], policy: .fifo, pools: [a, b])
    #expect(placed.phases[1].poolIndex == 1)
    #expect(placed.phases[1].startHours == 0)
    let waits = try run(
      [
        Phase(name: "Z", poolIndex: 1, gpus: 32, work: .hours(1)),
        // 6·N·D = 1.79712e20 FLOPs at 50% MFU on 32 GPUs: 10 h on the A100 (312 TFLOPS),
        // 10 × 312 / 989.5 = 3.15 h on the H100.
        Phase(
          name: "Y", poolIndex: 0, gpus: 32,
          work: .tokens(tokens: 2.9952e10, activeParams: 1e9, mfu: 0.5), poolIndices: [0, 1]),
      ], policy: .fifo, pools: [a, b])
    #expect(waits.phases[1].poolIndex == 1)
    #expect(waits.phases[1].startHours == 1)
    #expect(abs(waits.phases[1].endHours - (1 + 10 * 312 / 989.5)) < 1e-9)
  }

  /// `placement: cheapest` (docs/scheduling.md's example): `cheap` at $1 and `dear` at $3, two
  /// nodes of 8 H100 each; `blocker` holds all of `cheap` 0–5 h; `x` (16 GPUs, 10 h) may run on
  /// either. Earliest: on `dear` 0–10 h, 16 × 10 × $3 = $480, program $80 + $480 = $560. Cheapest:
  /// it waits for `cheap`, 5–15 h, 16 × 10 × $1 = $160, program $240.
  @Test func cheapestPlacementWaitsForTheCheaperPool() throws {
    let h100 = ChipCatalog.builtIn["H100-SXM5-80GB"]!
    let pools = [
      Pool(name: "cheap", chip: h100, nodes: 2, pricePerGPUHourUSD: 1),
      Pool(name: "dear", chip: h100, nodes: 2, pricePerGPUHourUSD: 3),
    ]
    let phases = [
      Phase(name: "blocker", poolIndex: 0, gpus: 16, work: .hours(5)),
      Phase(name: "x", poolIndex: 0, gpus: 16, work: .hours(10), poolIndices: [0, 1]),
    ]
    func run(_ placement: Placement) throws -> ReplicationOutcome {
      let program = Program(source: "t", pools: pools, phases: phases, placement: placement)
      var stream = RandomStream(seed: 1, replication: 0)
      return try ProgramScheduler(program: program).run(replication: 0, stream: &stream)
    }
    let earliest = try run(.earliest)
    #expect(earliest.phases[1].poolIndex == 1)
    #expect(earliest.phases[1].startHours == 0)
    #expect(earliest.phases[1].costUSD == 480)
    #expect(earliest.costUSD == 560)
    let cheapest = try run(.cheapest)
    #expect(cheapest.phases[1].poolIndex == 0)
    #expect(cheapest.phases[1].startHours == 5)
    #expect(cheapest.phases[1].endHours == 15)
    #expect(cheapest.phases[1].costUSD == 160)
    #expect(cheapest.costUSD == 240)
    #expect(Program(source: "t", pools: pools, phases: phases).placement == .earliest)
  }

  /// Cheapest weighs hours and price: Y of `placementOnTheEarliestFinish` (10 h on 32 A100 at
  /// $1 = $320; 10 × 312 / 989.5 = 3.153 h on 32 H100 at $4 = $403.61) goes to the A100 though it
  /// finishes 7 h later; at $3 the H100 costs $302.71 and wins on cost too.
  @Test func cheapestPlacementWeighsHoursAndPrice() throws {
    let work = Work.tokens(tokens: 2.9952e10, activeParams: 1e9, mfu: 0.5)
    func placed(h100Price: Double) throws -> PhaseOutcome {
      let pools = [
        Pool(name: "a", chip: ChipCatalog.builtIn["A100-SXM4-80GB"]!, nodes: 4, pricePerGPUHourUSD: 1),
        Pool(name: "b", chip: ChipCatalog.builtIn["H100-SXM5-80GB"]!, nodes: 4, pricePerGPUHourUSD: h100Price),
      ]
      let program = Program(
        source: "t", pools: pools,
        phases: [Phase(name: "Y", poolIndex: 0, gpus: 32, work: work, poolIndices: [0, 1])],
        placement: .cheapest)
      var stream = RandomStream(seed: 1, replication: 0)
      return try ProgramScheduler(program: program).run(replication: 0, stream: &stream).phases[0]
    }
    let atFour = try placed(h100Price: 4)
    #expect(atFour.poolIndex == 0)
    #expect(abs(atFour.costUSD - 320) < 1e-9)
    let atThree = try placed(h100Price: 3)
    #expect(atThree.poolIndex == 1)
    #expect(abs(atThree.costUSD - 32 * 10 * 312 / 989.5 * 3) < 1e-9)
  }

  /// Spare nodes are held back: a pool of 6 nodes plus 2 spares starts a 6-node phase but not a
  /// 2-node one beside it, though 2 nodes stand free.
  @Test func sparesAreNeverScheduled() throws {
    var pool = Self.pool
    pool.nodes = 6
    pool.spareNodes = 2
    let outcome = try run(
      [Self.phase("A", gpus: 48, hours: 4), Self.phase("B", gpus: 16, hours: 1)],
      policy: .backfill, pools: [pool])
    #expect(outcome.phases.map(\.startHours) == [0, 4])
  }
}
