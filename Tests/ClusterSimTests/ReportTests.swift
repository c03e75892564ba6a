import Testing

@testable import ClusterSim

@Suite struct StatisticTests {
  /// Hyndman–Fan type 7 on 1…10: h = 9p, so p50 = 5.5, p90 = 9.1, p99 = 9.91.
  @Test func quantilesInterpolateBetweenOrderStatistics() {
    let stat = Statistic([10, 3, 1, 2, 4, 5, 6, 7, 8, 9])
    #expect(stat.mean == 5.5)
    #expect(stat.min == 1 && stat.max == 10)
    #expect(stat.p50 == 5.5)
    #expect(abs(stat.p90 - 9.1) < 1e-12)
    #expect(abs(stat.p99 - 9.91) < 1e-12)
    // Sample variance of 1…10 is 55/6.
    #expect(abs(stat.standardDeviation - (55.0 / 6).squareRoot()) < 1e-12)
    #expect(stat.count == 10)
  }

  /// A naive running sum of a million 0.1s drifts to 100000.00000133288; the compensated sum
  /// stays within one rounding of 100,000, so the mean of equal values is that value.
  @Test func meanOfManyEqualValuesIsExact() {
    let values = [Double](repeating: 0.1, count: 1_000_000)
    var naive = 0.0
    for value in values { naive += value }
    #expect(abs(naive - 100_000) > 1e-6)  // the error the compensation removes
    #expect(Statistic(values).mean == 0.1)
    #expect(Statistic.compensatedSum([1e100, 1, -1e100]) == 1)
  }

  @Test func oneValue() {
    let stat = Statistic([4])
    #expect([stat.mean, stat.p50, stat.p90, stat.p99, stat.min, stat.max] == [4, 4, 4, 4, 4, 4])
    #expect(stat.standardDeviation == 0)
  }
}

@Suite struct ReportTests {
  static func result() throws -> SimulationResult {
    let yaml = """
      cluster:
        pools:
          - {name: "pool, one", chip: H100-SXM5-80GB, nodes: 2, price_per_gpu_hour: 3}
      phases:
        - {name: "say \\"hi\\"", pool: "pool, one", gpus: 16, hours: 2.5}
      simulation: {seed: 3, replications: 4}
      """
    return try Simulation.run(try ConfigLoader.parse(yaml: yaml, file: "r.yaml"))
  }

  @Test func jsonHasTheDocumentedShape() throws {
    let json = ResultReport(try Self.result()).render(.json)
    let stat = """
      {
            "mean": 2.5,
            "p50": 2.5,
            "p90": 2.5,
            "p99": 2.5,
            "min": 2.5,
            "max": 2.5,
            "sd": 0.0,
            "mean_ci95": [
              2.5,
              2.5
            ]
          }
      """
    #expect(json.hasPrefix("""
      {
        "schema": "clustersim.result/1",
        "config": "r.yaml",
        "seed": 3,
        "replications": 4,
        "policy": "fifo",
        "phases": [
          {
            "name": "say \\"hi\\"",
            "pool": "pool, one",
            "chip": "H100-SXM5-80GB",
            "gpus": 16,
      """))
    #expect(json.contains("\"wall_clock_hours\": \(stat)"))
    #expect(json.contains("\"gpu_hours\": {\n        \"mean\": 40.0,"))
    #expect(json.contains("\"cost_usd\": {\n        \"mean\": 120.0,"))
    #expect(json.hasSuffix("}\n"))
  }

  @Test func csvQuotesFieldsAndListsEveryMetric() throws {
    let lines = ResultReport(try Self.result()).render(.csv).split(separator: "\n")
    #expect(
      lines[0]
        == "scope,phase,pool,chip,gpus,metric,mean,p50,p90,p99,min,max,sd,mean_ci95_low,mean_ci95_high")
    #expect(lines[1] == "phase,\"say \"\"hi\"\"\",\"pool, one\",H100-SXM5-80GB,16,start_hours,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0")
    #expect(lines[4] == "phase,\"say \"\"hi\"\"\",\"pool, one\",H100-SXM5-80GB,16,gpu_hours,40.0,40.0,40.0,40.0,40.0,40.0,0.0,40.0,40.0")
    #expect(lines[6] == "phase,\"say \"\"hi\"\"\",\"pool, one\",H100-SXM5-80GB,16,interruptions,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0")
    #expect(lines[14].hasSuffix(",goodput,1.0,1.0,1.0,1.0,1.0,1.0,0.0,1.0,1.0"))
    // 21 metrics per phase, 2 per pool, 3 + 7 causes for the total.
    #expect(lines[15].hasSuffix(",queue_wait_hours,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0"))
    #expect(lines[16].hasSuffix(",cost_usd_compute,120.0,120.0,120.0,120.0,120.0,120.0,0.0,120.0,120.0"))
    #expect(lines[22] == "pool,,\"pool, one\",H100-SXM5-80GB,16,utilization,1.0,1.0,1.0,1.0,1.0,1.0,0.0,1.0,1.0")
    #expect(lines[26] == "total,,,,,cost_usd,120.0,120.0,120.0,120.0,120.0,120.0,0.0,120.0,120.0")
    #expect(lines.last == "total,,,,,cost_usd_idle,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0")
    #expect(lines.count == 1 + 21 + 2 + 3 + 7)
  }

  @Test func tableShowsMeansAndTotal() throws {
    let table = ResultReport(try Self.result()).render(.table)
    let lines = table.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[0] == "ClusterSim: r.yaml (seed 3, 4 replications; means unless marked p90)")
    #expect(lines[2].hasPrefix("phase"))
    // Wall-clock 2.5 h, then 2.5 / 24 = 0.1 days, then p90, GPU-hours and dollars.
    #expect(lines[4].hasSuffix("2.5   0.1    2.5         40       120"))
    #expect(lines[6].hasPrefix("total") && lines[6].hasSuffix("2.5   0.1    2.5         40       120"))
  }

  @Test func sameSeedGivesByteIdenticalOutput() throws {
    let first = ResultReport(try Self.result()).render(.json)
    let second = ResultReport(try Self.result()).render(.json)
    #expect(first == second)
  }

  @Test(arguments: [
    (147_000.0, 0, "147,000"), (1_234.56, 1, "1,234.6"), (0.96, 1, "1.0"), (-0.04, 1, "0.0"),
    (999.5, 0, "1,000"), (-12_345.0, 0, "-12,345"), (82.0, 1, "82.0"),
  ])
  func groupedNumbers(value: Double, decimals: Int, text: String) {
    #expect(TextTable.grouped(value, decimals: decimals) == text)
  }

  /// A phase that runs on either pool, by replication: `second` may run on b (listed first, so
  /// it wins ties) or a. b is busy with `blocker` until 25 h; a frees when `first` ends, at 22 h
  /// with no failure (then a finishes second at 27 h, before b's 30 h) or past 26 h after one
  /// (a 4-hour repair and no spares: then b, at the tie or earlier). The table says where it ran
  /// with each pool's share of the replications, largest first, and both chips.
  @Test func tableSaysWhereASplitPhaseRan() throws {
    let yaml = """
      cluster:
        pools:
          - name: a
            chip: H100-SXM5-80GB
            nodes: 4
            price_per_gpu_hour: 2
            failures:
              components: [{name: node, mtbf_hours: 100, repair_hours: 4}]
          - {name: b, chip: A100-SXM4-80GB, nodes: 4, price_per_gpu_hour: 1}
      phases:
        - {name: first, pool: a, gpus: 32, hours: 22, restart_minutes: 10,
           checkpoint: {interval: 1, write_minutes: 1, restore_minutes: 1}}
        - {name: blocker, pool: b, gpus: 32, hours: 25}
        - {name: second, pools: [b, a], gpus: 32, hours: 5, depends_on: [first]}
      simulation: {seed: 5, replications: 300}
      """
    let result = try Simulation.run(try ConfigLoader.parse(yaml: yaml, file: "split.yaml"))
    let runs = result.phases[2].runsByPool
    #expect(runs[0] > 30 && runs[1] > 30, "runs by pool \(runs)")
    // 300 replications: a share is k/3 percent, never halfway between two whole percents.
    #expect(runs[0] + runs[1] == 300)
    // With no failure in first's 22 h (probability e^(−4 × 22 / 100) = 0.41) second runs on a.
    let shareA = Double(runs[0]) / 300
    #expect(abs(shareA - 0.41) < 0.12, "share on a \(shareA)")
    let (larger, smaller) = runs[0] >= runs[1] ? (("a", runs[0]), ("b", runs[1])) : (("b", runs[1]), ("a", runs[0]))
    let expected =
      "\(larger.0) \(Int((100 * Double(larger.1) / 300).rounded()))%, "
      + "\(smaller.0) \(Int((100 * Double(smaller.1) / 300).rounded()))%"
    let report = ResultReport(result)
    #expect(report.ran(phase: 2).pool == expected)
    let chips = larger.0 == "a" ? "H100-SXM5-80GB, A100-SXM4-80GB" : "A100-SXM4-80GB, H100-SXM5-80GB"
    #expect(report.ran(phase: 2).chip == chips)
    #expect(report.ran(phase: 0) == (pool: "a", chip: "H100-SXM5-80GB"))
    let row = try #require(report.render(.table).split(separator: "\n").first { $0.hasPrefix("second") })
    #expect(row.contains(expected + "  " + chips), "\(row)")
  }
}
