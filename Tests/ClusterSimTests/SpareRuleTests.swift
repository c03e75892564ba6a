import Foundation
import SimKernel
import Testing

@testable import ClusterSim

/// Spares never delay a start (`docs/scheduling.md`, "Spares"), and the warning for pools that
/// will wait for repairs, against hand-computed binomial tails.
@Suite struct SpareRuleTests {
  /// 64 schedulable H100 nodes and 8 spares; nodes fail at 0.01 per node-hour and are repaired in
  /// 1 hour, so each is down with probability q = 0.01/1.01 at any moment.
  static func pool(spares: Int, nodes: Int = 64) -> Pool {
    let component = FailureComponent(
      name: "node", ratePerNodeHour: 0.01, shape: 1, repair: .fixed(1))
    return Pool(
      name: "p", chip: ChipCatalog.builtIn["H100-SXM5-80GB"]!, nodes: nodes, spareNodes: spares,
      pricePerGPUHourUSD: 2, failures: FailureModel(components: [component]))
  }

  /// A 56-node phase runs from 0; an 8-node phase arrives at 100 h. The pool's 64 schedulable
  /// nodes cover both, so the second starts at once whenever no more than the 8 spares are down:
  /// with 72 nodes each down with q = 0.0099, P(more than 8 down) = 4.4e-8, so in 200
  /// replications it starts at exactly 100 h every time. (Under the earlier rule, which held 8
  /// free nodes back whatever was in repair, it waited whenever any node was down: with
  /// probability 1 − (1 − q)^72 = 51% at its arrival.)
  @Test func sparesInRepairDoNotDelayAStart() throws {
    let program = Program(
      source: "test", pools: [Self.pool(spares: 8)],
      phases: [
        Phase(
          name: "big", poolIndex: 0, gpus: 56 * 8, work: .hours(300),
          checkpoint: CheckpointPolicy(intervalHours: 1, writeHours: 0.01, restartHours: 0.1)),
        Phase(
          name: "small", poolIndex: 0, gpus: 64, work: .hours(10),
          checkpoint: CheckpointPolicy(intervalHours: 1, writeHours: 0.01, restartHours: 0.1),
          submitAtHours: 100),
      ])
    let result = try Simulation.run(program, replications: 200)
    #expect(result.phases[1].startHours.min == 100)
    #expect(result.phases[1].startHours.max == 100)
    #expect(result.phases[1].queueWaitHours.max == 0)
  }

  /// The rule by hand on a pool of 4 nodes and 2 spares (6 in all), a 2-node phase running:
  /// 4 free; with nothing down a new phase may take 4 − 2 = 2 (the reserve is whole); with one
  /// node in repair (the phase took a spare for it: 3 free) it may take 3 − (2 − 1) = 2, the
  /// same; with 3 down (more than the spares: 1 free) it may take the 1 that is free.
  @Test func reserveIsTheSparesLessTheNodesInRepair() {
    let program = Program(
      source: "test", pools: [Self.pool(spares: 2, nodes: 4)],
      phases: [Phase(name: "a", poolIndex: 0, gpus: 16, work: .hours(10))])
    let plan = PhasePlan(
      phase: 0, pool: 0, gpus: 16, nodes: 2, workHours: 10, training: nil, checkpoint: .none,
      mtbfHours: 50, expectedWallHours: 10)
    let scheduler = ProgramScheduler(plan: ProgramPlan(program: program, phases: [[plan]]))
    var run = ReplicationRun(scheduler: scheduler, replication: 0, observer: NoObserver())
    run.free[0] = NodeList([0, 1, 2, 3], position: &run.position)
    #expect(run.available(0) == 2)
    run.free[0] = NodeList([0, 1, 2], position: &run.position)
    run.down[0] = 1
    #expect(run.available(0) == 2)
    run.free[0] = NodeList([0], position: &run.position)
    run.down[0] = 3
    #expect(run.available(0) == 1)
  }

  /// The tail itself: P(Binomial(72, q) > 8) by the sum of its terms, and the edge cases.
  @Test func binomialTail() {
    let q = 0.01 / 1.01
    var below = 0.0
    var term = pow(1 - q, 72)
    for i in 0...8 {
      below += term
      term *= Double(72 - i) / Double(i + 1) * q / (1 - q)
    }
    let tail = ProgramPlan.binomialTail(trials: 72, probability: q, above: 8)
    #expect(abs(tail - (1 - below)) < 1e-12)
    #expect(tail > 4.4e-8 && tail < 4.5e-8)
    #expect(ProgramPlan.binomialTail(trials: 10, probability: 0.5, above: 10) == 0)
    #expect(ProgramPlan.binomialTail(trials: 10, probability: 0.5, above: -1) == 1)
    // P(X > 0) = 1 − (1 − p)^n.
    let anyDown = ProgramPlan.binomialTail(trials: 64, probability: 0.02 / 1.02, above: 0)
    #expect(abs(anyDown - (1 - pow(1 / 1.02, 64))) < 1e-12)
  }

  /// A 64-node phase on a 64-node pool with no spares, nodes failing at 0.02 per node-day and
  /// repaired in 24 h: in the long run each is down with q = 0.02/1.02; starting from all up, over
  /// the phase's H hours (its expected wall-clock time without waits) the average is
  /// q·(1 − (1 − e^(−x))/x), x = (0.02/24 + 1/24)·H. All 64 are up with probability (1 − q)^64,
  /// about 30%, so the phase waits for repairs about 70% of its time; the warning says so and
  /// proposes the fewest spares s with P(Binomial(64 + s, q) > s) < 1%. The simulation agrees with
  /// the share to within a few points (72%: the waits lengthen the run, and the longer run sees
  /// more of the long-run q).
  @Test func warnsWhenAPoolWithoutSparesWaitsForRepairs() throws {
    var pool = Self.pool(spares: 0)
    pool.failures.components[0].ratePerNodeHour = 0.02 / 24
    pool.failures.components[0].repair = .fixed(24)
    let program = Program(
      source: "test", pools: [pool],
      phases: [
        Phase(
          name: "run", poolIndex: 0, gpus: 512, work: .hours(500),
          checkpoint: CheckpointPolicy(intervalHours: 1, writeHours: 2.0 / 60, restartHours: 0.1))
      ])
    let plan = try Planner(program).plan()
    let x = (0.02 / 24 + 1.0 / 24) * plan.phases[0][0].expectedWallHours
    let q = 0.02 / 1.02 * (1 - (1 - exp(-x)) / x)
    let share = 1 - pow(1 - q, 64)
    #expect(abs(share - 0.70) < 0.005)
    func tail(_ spares: Int) -> Double {
      // P(Binomial(64 + s, q) > s), term by term.
      let n = 64 + spares
      var below = 0.0
      var term = pow(1 - q, Double(n))
      for i in 0...spares {
        below += term
        term *= Double(n - i) / Double(i + 1) * q / (1 - q)
      }
      return 1 - below
    }
    let spares = try #require((0...20).first { tail($0) < 0.01 })
    #expect(tail(spares - 1) >= 0.01)
    #expect(
      plan.repairWarnings() == [
        "pool \"p\": phase \"run\" is expected to wait for repairs about "
          + String(format: "%.0f%%", 100 * share) + " of its time on 64 nodes with no spares; "
          + "spare_nodes: \(spares) would cut that below 1%"
      ])
    let result = try Simulation.run(plan, replications: 200)
    let wait = result.phases[0].waitForRepairHours.mean / result.phases[0].wallClockHours.mean
    #expect(abs(wait - share) < 0.03)
    // Enough spares: no warning.
    var spared = program
    spared.pools[0].spareNodes = spares
    #expect(try Planner(spared).plan().repairWarnings().isEmpty)
  }
}

/// The node lists the scheduler keeps: removal from the middle keeps the others' order (what the
/// scan it replaced left), popping skips removed slots, and compaction keeps positions right.
@Suite struct NodeListTests {
  @Test func removalKeepsOrder() {
    var position = [Int](repeating: -1, count: 200)
    var list = NodeList(0..<200, position: &position)
    var reference = Array(0..<200)
    for node in stride(from: 3, to: 200, by: 3) {
      list.remove(node, position: &position)
      reference.removeAll { $0 == node }
      #expect(Array(list) == reference)
      #expect(list.count == reference.count)
    }
    #expect(list.popLast() == reference.popLast())
    var taken = NodeList()
    list.moveLast(3, to: &taken, position: &position)
    #expect(Array(taken) == Array(reference.suffix(3)))
    reference.removeLast(3)
    list.append(3, position: &position)
    reference.append(3)
    list.remove(reference[10], position: &position)
    reference.remove(at: 10)
    #expect(Array(list) == reference)
    Self.expectPositions(list, position)
    Self.expectPositions(taken, position)
  }

  /// Every node's recorded position is its slot: removing each one by it works.
  static func expectPositions(_ list: NodeList, _ position: [Int]) {
    var copy = list
    var position = position
    for node in list { copy.remove(node, position: &position) }
    #expect(copy.isEmpty)
  }

  /// Bulk moves (a phase taking its nodes, a finished phase giving them back) equal node-by-node
  /// ones, with removed slots in the moved range and without.
  @Test func bulkMovesEqualOneByOne() {
    var position = [Int](repeating: -1, count: 100)
    var free = NodeList()
    free.reset(descending: 0..<100, position: &position)
    #expect(Array(free) == Array((0..<100).reversed()))
    Self.expectPositions(free, position)
    // Holes among the last 10: 5 and 7 are gone, so the last 10 live nodes reach back to 11.
    free.remove(5, position: &position)
    free.remove(7, position: &position)
    var held = NodeList()
    free.moveLast(10, to: &held, position: &position)
    #expect(Array(held) == [11, 10, 9, 8, 6, 4, 3, 2, 1, 0])
    #expect(held.count == 10)
    #expect(Array(free) == Array((12..<100).reversed()))
    // Back, with a hole in the list given back.
    held.remove(9, position: &position)
    free.append(contentsOf: held, position: &position)
    #expect(Array(free) == Array((12..<100).reversed()) + [11, 10, 8, 6, 4, 3, 2, 1, 0])
    #expect(free.count == 97)
    Self.expectPositions(free, position)
    // Asking for more than there are takes them all.
    var all = NodeList()
    free.moveLast(500, to: &all, position: &position)
    #expect(all.count == 97)
    #expect(free.isEmpty)
    Self.expectPositions(all, position)
  }
}
