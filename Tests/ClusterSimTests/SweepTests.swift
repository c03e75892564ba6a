import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif
import Testing
import Yams

@testable import ClusterSim

/// `clustersim sweep`: lists and key paths, the grid, re-planning per point, infeasible points,
/// the marks, and identical output for any thread count.
@Suite struct SweepTests {
  static let config = """
    cluster:
      pools:
        - name: a100
          chip: A100-SXM4-80GB
          nodes: 8
          spare_nodes: 1
          price_per_gpu_hour: 2
          failures:
            components:
              - {name: node, category: host, per_node_day: 0.05, repair: fixed, repair_hours: 12}
    phases:
      - name: pretrain
        pool: a100
        gpus: 32
        model: {layers: 24, hidden: 2048, heads: 16, vocab: 50257}
        seq_len: 2048
        global_batch: 512
        tokens: 20e9
        parallelism: {tp: 2, pp: 2}
        checkpoint: {interval: 1, write_minutes: 2, restore_minutes: 2}
        restart_minutes: 10
    simulation:
      seed: 3
      replications: 40
    """

  static func sweep(gpus: [Int]? = nil, _ sets: [String] = [], phase: String? = "pretrain")
    throws -> Sweep
  {
    let root = try ConfigLoader.compose(yaml: config, file: "configs/x.yaml")
    return try Sweep(
      root: root, file: "configs/x.yaml", phase: phase, gpus: gpus,
      axes: try sets.map { text throws(SweepError) in try SweepAxis(setting: text) })
  }

  @Test func gpuLists() throws {
    #expect(try SweepAxis.gpuCounts("128,256,512") == [128, 256, 512])
    #expect(try SweepAxis.gpuCounts("128...4096x2") == [128, 256, 512, 1024, 2048, 4096])
    #expect(try SweepAxis.gpuCounts("256...2048+256") == [256, 512, 768, 1024, 1280, 1536, 1792, 2048])
    #expect(try SweepAxis.gpuCounts("8,64...256x4") == [8, 64, 256])
    for bad in ["abc", "0", "8...1x2", "1...8x1", "1...8", "1...8+0", ""] {
      #expect(throws: SweepError.self, "\(bad)") { try SweepAxis.gpuCounts(bad) }
    }
  }

  @Test func keyPaths() throws {
    let path = try ConfigPath("cluster.pools[a100].spare_nodes", flag: "--set")
    #expect(path.steps == [.key("cluster"), .key("pools"), .named("a100"), .key("spare_nodes")])
    #expect(try ConfigPath("phases[0].parallelism.tp", flag: "--set").steps
      == [.key("phases"), .index(0), .key("parallelism"), .key("tp")])
    for bad in ["cluster..pools", "phases[0", "phases[]", "phases[0]x", "a b"] {
      #expect(throws: SweepError.self, "\(bad)") { try ConfigPath(bad, flag: "--set") }
    }
    let root = try ConfigLoader.compose(yaml: Self.config, file: "x")
    // A named item that is not there, with the nearest name; an index out of range; a key under
    // a value.
    func message(_ key: String) -> String {
      do {
        _ = try ConfigPath(key, flag: "--set").setting("1", in: root, flag: "--set")
        return ""
      } catch { return error.description }
    }
    #expect(
      message("cluster.pools[a10].nodes")
        == "--set: cluster.pools[a10].nodes: no item of cluster.pools is named \"a10\"; did you mean \"a100\"? (names: a100)")
    #expect(
      message("cluster.pools[3].nodes")
        == "--set: cluster.pools[3].nodes: cluster.pools has 1 items; [3] must be 0 to 0")
    #expect(
      message("phases[pretrain].gpus.x")
        == "--set: phases[pretrain].gpus.x: phases[pretrain].gpus has no keys (it is not a mapping)")
    // A value written where a key was missing is added.
    let edited = try ConfigPath("phases[pretrain].priority", flag: "--set").setting("5", in: root, flag: "--set")
    let program = try ConfigLoader.parsePlan(root: edited, file: "x").program
    #expect(program.phases[0].priority == 5)
  }

  @Test func badSetValuesNameTheirFlag() throws {
    #expect(throws: SweepError(flag: "--set cluster.pools[0].spare_node", "0: cluster.pools[0].spare_node: unknown key \"spare_node\"; did you mean \"spare_nodes\"?")) {
      try Self.sweep(["cluster.pools[0].spare_node=0"])
    }
    #expect(throws: SweepError(flag: "--set cluster.pools[0].price_per_gpu_hour", "cheap: cluster.pools[0].price_per_gpu_hour: expected a number, got \"cheap\"")) {
      try Self.sweep(["cluster.pools[0].price_per_gpu_hour=2,cheap"])
    }
    #expect(throws: SweepError(flag: "--phase", "no phase named \"pretrian\"; did you mean \"pretrain\"? (phases: pretrain)")) {
      try Self.sweep(phase: "pretrian")
    }
  }

  @Test func gridIsTheProductGPUsOutermost() throws {
    let sweep = try Self.sweep(gpus: [16, 32], ["cluster.pools[0].spare_nodes=0,1", "cluster.pools[0].price_per_gpu_hour=1,2,3"])
    let points = sweep.points
    #expect(points.count == 12)
    #expect(points[0] == Sweep.Point(gpus: 16, values: ["0", "1"]))
    #expect(points[1] == Sweep.Point(gpus: 16, values: ["0", "2"]))
    #expect(points[3] == Sweep.Point(gpus: 16, values: ["1", "1"]))
    #expect(points[6] == Sweep.Point(gpus: 32, values: ["0", "1"]))
  }

  /// tp 2 × pp 2 is fixed, so dp is what the GPUs leave: 16 GPUs give dp 4, 64 give dp 16, 128
  /// give dp 32. The pool's 8 nodes (the spare is held back) hold 64 GPUs; 128 need 16 nodes, so
  /// the pool grows, said in the point's notes. 24 GPUs give dp 6, which does not divide the
  /// batch of 512: infeasible, with the planner's reason.
  @Test func everyPointIsReplanned() throws {
    let result = try Self.sweep(gpus: [16, 24, 64, 128]).run(replications: 20)
    let layouts = result.points.map { $0.measures?.layout }
    #expect(layouts[0]?.hasPrefix("tp 2 pp 2 dp 4 ") == true)
    #expect(layouts[2]?.hasPrefix("tp 2 pp 2 dp 16 ") == true)
    #expect(layouts[3]?.hasPrefix("tp 2 pp 2 dp 32 ") == true)
    guard case .infeasible(let reason) = result.points[1].outcome else {
      Issue.record("24 GPUs should be infeasible")
      return
    }
    #expect(reason.hasPrefix("phases[0].global_batch: global_batch 512 does not split over dp 6"), "\(reason)")
    #expect(result.points[2].notes.isEmpty)
    #expect(result.points[3].notes == ["pool a100 grown from 8 to 16 nodes"])
    // Twice the GPUs, about half the hours (the step-time model's own scaling, within 25%).
    let hours = result.points.map { $0.measures?.wallClockHours.mean ?? .nan }
    #expect(hours[3] < hours[2] && hours[3] > 0.5 * hours[2] * 0.75)
  }

  /// The marks on a hand-made set: (hours, dollars) of five points.
  @Test func paretoFastestCheapest() {
    func point(_ hours: Double, _ cost: Double) -> SweepResult.PointResult {
      let stat = { (x: Double) in
        Statistic(mean: x, p10: x, p50: x, p90: x, p99: x, min: x, max: x, standardDeviation: 0, count: 1)
      }
      return SweepResult.PointResult(
        point: Sweep.Point(gpus: nil, values: []), notes: [],
        outcome: .feasible(
          SweepResult.Measures(
            wallClockHours: stat(hours), gpuHours: stat(0), costUSD: stat(cost), goodput: nil,
            interruptions: nil, layout: nil, mfu: nil, replications: 1)))
    }
    var points = [point(10, 100), point(5, 150), point(8, 90), point(12, 95), point(5, 160)]
    points.insert(
      SweepResult.PointResult(point: Sweep.Point(gpus: nil, values: []), notes: [], outcome: .infeasible("no")),
      at: 2)
    let result = SweepResult(file: "x", phase: nil, axes: [], points: points)
    // (10, 100) is beaten by (8, 90); (12, 95) by (8, 90); (5, 160) by (5, 150).
    #expect(result.pareto == [1, 3])
    #expect(result.fastest == 1)
    #expect(result.cheapest == 3)
  }

  /// The plot parses as XML and carries a ring per Pareto point, a cross per infeasible size,
  /// a point per feasible one in each panel, and its axis labels.
  @Test func plotIsWellFormedWithTheMarkedPoints() throws {
    let result = try Self.sweep(gpus: [16, 24, 32, 64]).run(replications: 20)
    let svg = SweepPlot(result).rendered()
    final class Collector: NSObject, XMLParserDelegate {
      var classes: [String] = []
      var texts: [String] = []
      func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
      ) { if let c = attributes["class"] { classes.append(c) } }
      func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
    // Two panels: every count doubles.
    #expect(collector.classes.filter { $0 == "pareto" }.count == 2 * result.pareto.count)
    #expect(collector.classes.filter { $0 == "point" }.count == 2 * 3)
    #expect(collector.classes.filter { $0 == "infeasible" }.count == 2)
    let text = collector.texts.joined(separator: "|")
    for label in ["wall-clock hours", "cost (USD)", "GPUs", "fastest", "cheapest"] {
      #expect(text.contains(label), "missing \(label)")
    }
    // 16, 24, 32, 64 do not double: a linear axis.
    #expect(!text.contains("log scale"))
    let doubled = SweepPlot(try Self.sweep(gpus: [16, 32, 64]).run(replications: 5)).rendered()
    #expect(doubled.contains("GPUs (log scale, base 2)"))
  }

  @Test func sameOutputForOneAndTwoThreads() throws {
    let sweep = try Self.sweep(gpus: [16, 32], ["cluster.pools[a100].spare_nodes=0,2"])
    let one = SweepReport(try sweep.run(replications: 300, threads: 1)).render(.json)
    let two = SweepReport(try sweep.run(replications: 300, threads: 2)).render(.json)
    #expect(one == two)
    let table = SweepReport(try sweep.run(replications: 30, threads: 2)).render(.table)
    #expect(table.contains("fastest"))
    #expect(table.contains("cheapest"))
  }
}
