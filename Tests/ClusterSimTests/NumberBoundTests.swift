import Foundation
import Testing

@testable import ClusterSim

/// Issue 25: every config number is bounded where it is read (a located error with the allowed
/// range), the seed passes the same gate as every other number, and the formatters and index
/// conversions of the reports are total (no value traps them).
@Suite struct NumberBoundTests: ConfigCases {
  static let valid = """
    cluster:
      storage: {write_gb_per_s: 100, read_gb_per_s: 200}
      pools:
        - name: h100
          chip: H100-SXM5-80GB
          nodes: 16
          price_per_gpu_hour: 2.99
          failures:
            components:
              - {name: gpu, per_node_day: 0.01, repair_hours: 4}
            maintenance: {every_hours: 500, duration_hours: 4}
    phases:
      - name: train
        pool: h100
        gpus: 64
        hours: 100
        submit_at: 2
        restart_minutes: 5
        checkpoint: {interval: 1, write_minutes: 1, restore_minutes: 2}
    simulation:
      seed: 7
    """

  @Test func validConfigLoads() throws {
    let program = try ConfigLoader.parse(yaml: Self.valid, file: "configs/x.yaml")
    #expect(program.phases[0].checkpoint.intervalHours == 1)
    #expect(program.simulation.seed == 7)
  }

  /// The reproducer (table-huge-checkpoint-interval-crash.yaml): an interval of 1e307 hours was
  /// accepted, and the table trapped on it. Now it is refused where it is written.
  @Test func hugeCheckpointIntervalIsALocatedError() {
    #expect(
      messages(edited("interval: 1,", "interval: 1e307,")) == [
        "configs/x.yaml:19:28: phases[0].checkpoint.interval: must be at most 1000000 hours, "
          + "got 1e+307; check the unit"
      ])
  }

  /// The mechanism, not the instance: each numeric key of the config, set to 1e300, is refused
  /// at its own place with its bound.
  @Test(arguments: [
    ("write_gb_per_s: 100", "write_gb_per_s: 1e300",
     "configs/x.yaml:2:29: cluster.storage.write_gb_per_s: must be between 0.001 and 1000000000 GB/s, got 1e+300"),
    ("read_gb_per_s: 200", "read_gb_per_s: 1e-300",
     "configs/x.yaml:2:49: cluster.storage.read_gb_per_s: must be between 0.001 and 1000000000 GB/s, got 1e-300"),
    ("per_node_day: 0.01", "per_node_day: 1e300",
     "configs/x.yaml:10:39: cluster.pools[0].failures.components[0].per_node_day: must be at most 100000 failures per node-day, got 1e+300; check the unit"),
    ("repair_hours: 4}", "repair_hours: 1e300}",
     "configs/x.yaml:10:59: cluster.pools[0].failures.components[0].repair_hours: must be at most 1000000 hours, got 1e+300; check the unit"),
    ("every_hours: 500", "every_hours: 1e300",
     "configs/x.yaml:11:36: cluster.pools[0].failures.maintenance.every_hours: must be at most 1000000 hours, got 1e+300; check the unit"),
    ("    hours: 100", "    hours: 1e300",
     "configs/x.yaml:16:12: phases[0].hours: must be at most 1000000 hours, got 1e+300; check the unit"),
    ("submit_at: 2", "submit_at: 1e300",
     "configs/x.yaml:17:16: phases[0].submit_at: must be at most 1000000 hours, got 1e+300; check the unit"),
    ("restart_minutes: 5", "restart_minutes: 1e300",
     "configs/x.yaml:18:22: phases[0].restart_minutes: must be at most 60000000 minutes, got 1e+300; check the unit"),
    ("write_minutes: 1", "write_minutes: 1e300",
     "configs/x.yaml:19:46: phases[0].checkpoint.write_minutes: must be at most 60000000 minutes, got 1e+300; check the unit"),
    ("price_per_gpu_hour: 2.99", "price_per_gpu_hour: 1e300",
     "configs/x.yaml:7:27: cluster.pools[0].price_per_gpu_hour: must be at most 1000 US dollars per GPU-hour, got 1e+300; check the unit"),
  ])
  func everyNumberHasABound(old: String, new: String, expected: String) {
    #expect(messages(edited(old, new)) == [expected])
  }

  /// The same through the other readers: work in GPU-hours or tokens, a profile's scale, an
  /// MTBF, a chip's figures.
  @Test(arguments: [
    ("    hours: 100", "    gpu_hours: 1e300", "phases[0].gpu_hours: must be at most 100000000000000 GPU-hours"),
    ("    hours: 100", "    tokens: 1e300\n    model: {active_params: 7e9}\n    mfu: 0.4",
     "phases[0].tokens: must be at most 1e+18 tokens"),
    ("    hours: 100", "    tokens: 1e12\n    model: {active_params: 1e300}\n    mfu: 0.4",
     "phases[0].model.active_params: must be at most 1e+16 parameters"),
    ("          - {name: gpu, per_node_day: 0.01, repair_hours: 4}",
     "          - {name: gpu, mtbf_hours: 1e-300, repair_hours: 4}",
     "cluster.pools[0].failures.components[0].mtbf_hours: must be between 0.001 and 1000000000000 hours"),
    ("        components:\n", "        profile: llama3\n        scale: 1e300\n        components:\n",
     "cluster.pools[0].failures.scale: must be at most 1000000 times the profile's rates"),
    ("cluster:\n", "chips:\n  H100-SXM5-80GB: {hbm_gb: 1e300}\ncluster:\n",
     "chips.H100-SXM5-80GB.hbm_gb: must be between 0.001 and 1000000 GB"),
    ("cluster:\n", "chips:\n  H100-SXM5-80GB: {tflops: {bf16: 1e-300}}\ncluster:\n",
     "chips.H100-SXM5-80GB.tflops.bf16: must be between 0.001 and 10000000 TFLOPS"),
  ])
  func otherReadersAreBoundedToo(old: String, new: String, expected: String) {
    let found = messages(edited(old, new))
    #expect(found.contains { $0.contains(expected) }, "\(found)")
  }

  /// The reproducer (seed-lenient-underscore-and-tags.yaml): the seed took `_2`, `2_`, `!!str 2`
  /// and foreign tags that every other number refuses. It now passes the same gate, and says so
  /// with the same words as `nodes` does.
  @Test(arguments: [
    ("_2", "expected a number, got \"_2\""),
    ("2_", "expected a number, got \"2_\"; _ may only separate digits (1_000)"),
    ("!!str 2", "expected a number, got \"2\" (it is tagged !!str; remove the tag)"),
    ("!custom 2", "expected a number, got \"2\" (it is tagged !custom)"),
    ("!!python/object:os.system 2_",
     "expected a number, got \"2_\" (it is tagged tag:yaml.org,2002:python/object:os.syste…)"),
    ("2.0", "must be a whole number from 0 to 18446744073709551615, got \"2.0\""),
    ("1e3", "must be a whole number from 0 to 18446744073709551615, got \"1e3\""),
    ("18446744073709551616", "must be a whole number from 0 to 18446744073709551615, got \"18446744073709551616\""),
  ])
  func seedRefusesWhatEveryNumberRefuses(seed: String, expected: String) {
    #expect(
      messages(edited("  seed: 7", "  seed: \(seed)")) == ["configs/x.yaml:21:9: simulation.seed: \(expected)"])
    // `nodes` says the same about the same text (up to the range it names).
    if !expected.hasPrefix("must be a whole number") {
      #expect(
        messages(edited("    nodes: 16", "    nodes: \(seed)")).first?.hasSuffix(expected) == true)
    }
  }

  @Test(arguments: [
    ("18446744073709551615", UInt64.max), ("1_000", 1000), ("0x10", 16), ("0o17", 15), ("+5", 5), ("0", 0),
  ])
  func seedAcceptsEveryWholeNumberForm(seed: String, value: UInt64) throws {
    let program = try ConfigLoader.parse(yaml: edited("  seed: 7", "  seed: \(seed)"), file: "x.yaml")
    #expect(program.simulation.seed == value)
  }

  /// The formatters are total: any double, finite or not, gives text.
  @Test func formattersNeverTrap() {
    #expect(TextTable.grouped(1e308, decimals: 1) == "1e+308")
    #expect(TextTable.grouped(-1e308, decimals: 0) == "-1e+308")
    #expect(TextTable.grouped(.infinity, decimals: 1) == "inf")
    #expect(TextTable.grouped(-.infinity, decimals: 1) == "-inf")
    #expect(TextTable.grouped(.nan, decimals: 2) == "nan")
    #expect(TextTable.grouped(.greatestFiniteMagnitude, decimals: 15) == "1.8e+308")
    #expect(TextTable.grouped(1234.5678, decimals: -3) == "1,235")
    #expect(TextTable.grouped(999_999_999_999.95, decimals: 1) == "1,000,000,000,000.0")
    #expect(TextTable.hours(1e307) == "1e+307 h")
    #expect(TextTable.dollars(.nan) == "$nan")
    #expect(TextTable.dollars(-1e300) == "$-1e+300")
    #expect(SVG.tickLabel(1e308, step: .nan, unit: .none) == "1e+308")
    #expect(SVG.tickLabel(5, step: .leastNonzeroMagnitude, unit: .none) == "5.000000")
  }

  @Test func conversionsToIntegersSaturate() {
    #expect(Int(saturating: .nan) == 0)
    #expect(Int(saturating: .infinity) == .max)
    #expect(Int(saturating: -.infinity) == .min)
    #expect(Int(saturating: 1e308) == .max)
    #expect(Int(saturating: -1e308) == .min)
    #expect(Int(saturating: 9.223372036854775807e18) == .max)
    #expect(Int(saturating: -41.9) == -41)
  }

  /// The charts' binning takes the same values without trapping, and still counts every one.
  @Test func binningTakesAnyValue() {
    let values = [1e308, -1e308, .infinity, -.infinity, .nan, 0, 1]
    let bins = HistogramChart.bins(values)
    #expect(bins.counts.reduce(0, +) == values.count)
    let quantiles = BinnedQuantiles(first: values)
    #expect(quantiles.count == values.count)
    _ = quantiles.value(ofRank: 3)
    _ = Statistic.quantile([0, 1, 2], .infinity)
    _ = Statistic.quantile([0, 1, 2], .nan)
    let bands = GanttBands.bands(of: [.nan, 1, .infinity], hours: [1, 1, 1])
    #expect(bands.count <= 3)
  }
}
