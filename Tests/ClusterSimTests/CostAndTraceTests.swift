import Foundation
import SimKernel
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import ClusterSim

/// Cost models against hand computations, causes summing to totals, and the trace and Gantt files.
@Suite struct CostAndTraceTests {
  /// 4 nodes of 8 H100 plus 1 spare node: 32 schedulable GPUs, 40 in all.
  static func pool(_ cost: CostModel) -> Pool {
    Pool(
      name: "p", chip: ChipCatalog.builtIn["H100-SXM5-80GB"]!, nodes: 4, spareNodes: 1,
      pricePerGPUHourUSD: 2, cost: cost)
  }

  static func run(_ pool: Pool) throws -> ReplicationOutcome {
    let program = Program(
      source: "test", pools: [pool],
      phases: [Phase(name: "job", poolIndex: 0, gpus: 16, work: .hours(10))])
    var stream = RandomStream(seed: 1, replication: 0)
    return try ProgramScheduler(program: program).run(replication: 0, stream: &stream)
  }

  /// Rental: 16 GPUs × 10 h × $2 = $320, nothing for idle GPUs.
  @Test func rental() throws {
    let outcome = try Self.run(Self.pool(.rental(pricePerGPUHourUSD: 2)))
    #expect(outcome.costUSD == 320)
    #expect(outcome.cost.computeUSD == 320)
    #expect(outcome.poolIdleCostUSD == [0])
    #expect(outcome.poolUtilization == [0.5])
  }

  /// Reserved: the whole pool, spares included, for the program's 10 hours: 40 × 10 × $2 = $800,
  /// of which the phase's 160 GPU-hours are $320 and the 240 idle ones $480.
  @Test func reserved() throws {
    let outcome = try Self.run(Self.pool(.reserved(pricePerGPUHourUSD: 2)))
    #expect(outcome.phases[0].costUSD == 320)
    #expect(outcome.poolIdleCostUSD == [480])
    #expect(outcome.costUSD == 800)
    #expect(outcome.cost.idleUSD == 480)
  }

  /// Owned: $25,000 per GPU over 5 years is 25,000 / 43,800 = $0.570776 per GPU-hour, plus $8
  /// per node-hour over 8 GPUs = $1; power 0.7 kW × 0.8 × 1.2 PUE × $0.10 = $0.0672. Held:
  /// 160 GPU-hours × 1.637976 = $262.08; idle: 240 × 1.570776 = $376.99 (no power).
  @Test func owned() throws {
    let owned = OwnedCost(
      purchaseUSDPerGPU: 25_000, lifetimeYears: 5, utilization: 0.8, pue: 1.2,
      electricityUSDPerKWh: 0.10, overheadUSDPerNodeHour: 8)
    let outcome = try Self.run(Self.pool(.owned(owned)))
    let capital = 25_000.0 / 43_800 + 1
    let power = 0.7 * 0.8 * 1.2 * 0.10
    #expect(abs(outcome.phases[0].costUSD - 160 * (capital + power)) < 1e-9)
    #expect(abs(outcome.poolIdleCostUSD[0] - 240 * capital) < 1e-9)
    #expect(abs(outcome.costUSD - (262.0762009132420 + 376.9863013698630)) < 1e-6)
  }

  /// With failures, every replication's causes add up to its total, and each phase's causes to
  /// GPUs × price × wall-clock hours.
  @Test func causesSumToTotals() throws {
    let program = try ConfigLoader.load(
      path: ReferenceConfigTests.repository.appendingPathComponent("configs/bench-reliability.yaml")
        .path)
    let scheduler = try ProgramScheduler(program: program)
    for replication in 0..<10 {
      var stream = RandomStream(seed: 3, replication: UInt64(replication))
      let outcome = try scheduler.run(replication: replication, stream: &stream)
      let phase = outcome.phases[0]
      #expect(phase.costUSD == phase.cost.totalUSD)
      #expect(phase.cost.lostWorkUSD > 0 && phase.cost.checkpointUSD > 0)
      #expect(abs(phase.costUSD - 2048 * 2.49 * phase.wallClockHours) < 1e-6 * phase.costUSD)
      #expect(outcome.costUSD == outcome.cost.totalUSD)
    }
  }

  /// The trace is a Chrome trace: JSON with `traceEvents`, a process per pool, a phase slice,
  /// compute, checkpoint and restart slices, and failure instants.
  @Test func traceParsesWithTheDocumentedEvents() throws {
    let program = try ConfigLoader.load(
      path: ReferenceConfigTests.repository.appendingPathComponent("configs/bench-reliability.yaml")
        .path)
    let traced = try TracedReplication(program: program)
    let (outcome, timeline) = (traced.outcome, traced.timeline)
    let text = TraceReport(traced).rendered()
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let events = try #require(json["traceEvents"] as? [[String: Any]])
    func count(_ ph: String, _ name: String) -> Int {
      events.filter { $0["ph"] as? String == ph && $0["name"] as? String == name }.count
    }
    #expect(count("M", "process_name") == 1)
    #expect(count("X", "pretrain") == 1)
    #expect(count("X", "restart") == outcome.phases[0].interruptions)
    #expect(count("i", "failure") >= outcome.phases[0].interruptions)
    #expect(count("X", "checkpoint") > 2000)
    let phase = try #require(events.first { $0["name"] as? String == "pretrain" })
    #expect((phase["dur"] as? Double) == (outcome.phases[0].wallClockHours * 3.6e9).rounded())
    let args = try #require(phase["args"] as? [String: Any])
    #expect(args["failure_model"] as? Bool == true)
    #expect(args["held_gpus"] as? Int == args["gpus"] as? Int)
    // The slices of the phase cover its wall-clock time exactly.
    let covered = timeline.slices.reduce(0) { $0 + $1.endHours - $1.startHours }
    #expect(abs(covered - outcome.phases[0].wallClockHours) < 1e-6)
  }

  /// The Gantt chart is well-formed SVG with a row per phase and the legend.
  @Test func ganttIsWellFormedSVG() throws {
    let program = try ConfigLoader.load(
      path: ReferenceConfigTests.repository.appendingPathComponent("configs/deepseek-r1.yaml").path)
    let svg = GanttReport(try TracedReplication(program: program)).rendered()
    final class Collector: NSObject, XMLParserDelegate {
      var elements: [String] = []
      var texts: [String] = []
      func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
      ) { elements.append(name) }
      func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    #expect(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
    #expect(collector.elements.first == "svg")
    let text = collector.texts.joined(separator: "|")
    for name in ["prep-30b", "r1-zero", "sft-data", "r1-rl-all", "compute", "failure", "hours from"] {
      #expect(text.contains(name), "missing \(name)")
    }
    // The title gives hours, days (hours / 24) and dollars with thousands separators.
    let traced = try TracedReplication(program: program)
    let hours = traced.outcome.wallClockHours
    let title =
      "\(String(format: "%.1f", hours)) h (\(String(format: "%.1f", hours / 24)) days), $"
    #expect(text.contains(title), "\(title) not in the title")
    let cost = Int(traced.outcome.costUSD.rounded())
    #expect(cost > 100_000)
    let dollars = "$\(cost / 1000),\(String(format: "%03d", cost % 1000))"
    #expect(text.contains(dollars), "\(dollars) not in the title")
  }

  /// The `model:` line of an explain table and its numbers in order: parameters and active
  /// parameters in billions, then GFLOPs per token.
  static func modelLine(_ text: String) throws -> (line: Substring, numbers: [Double]) {
    let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("  model: ") })
    let numbers = line.split(separator: " ").compactMap {
      Double($0.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "B", with: "")
        .replacingOccurrences(of: "(", with: ""))
    }
    return (line, numbers)
  }

  /// `explain` states the model's size and the FLOPs per token it used: Llama 3 405B's derived
  /// parameter count is within 0.5% of the published 405B (arXiv 2407.21783, Table 3), and the
  /// FLOPs per token within 10% of 6N at least (attention adds to it at 8K tokens); DeepSeek-V3's
  /// given FLOPs are marked as given, its active parameters near the published 37B.
  @Test func explainStatesParametersAndFLOPsPerToken() throws {
    let llama = try ConfigLoader.load(
      path: ReferenceConfigTests.repository.appendingPathComponent("configs/llama3-405b.yaml").path)
    let text = try ExplainReport(llama, phase: "batch-16m").render(.table)
    let (line, numbers) = try Self.modelLine(text)
    let (total, active, gflops) = (numbers[0], numbers[1], numbers[2])
    #expect(abs(total / 405 - 1) < 0.005, "\(line)")
    #expect(active < total)
    #expect(gflops >= 6 * active && gflops < 1.1 * 6 * active, "\(line)")
    #expect(!line.contains("as given"))
    let v3 = try ConfigLoader.load(
      path: ReferenceConfigTests.repository.appendingPathComponent("configs/deepseek-v3.yaml").path)
    let json = try ExplainReport(v3, phase: "pre-training").render(.json)
    #expect(json.contains("\"model_flops_per_token_given\": true"))
    let v3text = try ExplainReport(v3, phase: "pre-training").render(.table)
    // DeepSeek-V3 (arXiv 2412.19437, §1): 671B parameters, 37B activated per token; the derived
    // counts leave out the multi-token-prediction module.
    let (v3line, v3numbers) = try Self.modelLine(v3text)
    #expect(abs(v3numbers[0] / 671 - 1) < 0.01, "\(v3line)")
    #expect(abs(v3numbers[1] / 37 - 1) < 0.03, "\(v3line)")
    #expect(v3text.contains("(as given)"))
  }
}
