import Foundation
import Testing

@testable import ClusterSim

/// Expectations (`expect:`) and `clustersim check`'s parts: the value syntax, each test against a
/// hand-made result, located errors, a stochastic outcome in standard errors against its closed
/// form at several seeds, and `--update` changing exactly the numbers.
@Suite struct CheckTests: ConfigCases {
  /// 8 nodes whose software faults (node kept) come every 80 hours each, a 100-hour phase
  /// checkpointing every 0.1 h for free, restarting at once.
  static let valid = """
    cluster:
      pools:
        - name: a100
          chip: A100-SXM4-80GB
          nodes: 8
          price_per_gpu_hour: 2
          failures:
            components:
              - {name: software, mtbf_hours: 80, takes_node_down: false}
    phases:
      - name: train
        pool: a100
        gpus: 64
        hours: 100
        checkpoint: {interval: 0.1, write_minutes: 0, restore_minutes: 0}
        restart_minutes: 0
      - name: after
        pool: a100
        gpus: 8
        hours: 1
    simulation: {seed: 1, replications: 400}
    expect:
      - phases.train.interruptions.mean: 10 ± 3 se
    """

  @Test func valueSyntax() {
    func parsed(_ text: String, textual: Bool = false) -> ExpectationTest? {
      try? ExpectationSyntax.parse(text, textual: textual).get()
    }
    #expect(parsed("101354 ± 2%") == .near(101354, .relative(0.02)))
    #expect(parsed("0.93 +- 0.01") == .near(0.93, .absolute(0.01)))
    #expect(parsed("2_664_000 +/- 3 se") == .near(2_664_000, .standardErrors(3)))
    #expect(parsed("<= 300000") == .bound(.atMost, 300000))
    #expect(parsed("< 1") == .bound(.below, 1))
    #expect(parsed(">= 0.9") == .bound(.atLeast, 0.9))
    #expect(parsed("> 0") == .bound(.above, 0))
    #expect(parsed("== 1024") == .exact(1024))
    #expect(parsed("1e3") == .exact(1000))
    #expect(parsed("h100", textual: true) == .text("h100"))
    #expect(parsed("h100") == nil)
    for bad in ["5000 ± 2x", "5000 ±", "± 5", "<= many", "5000 ± -1%", "1__0", "nan"] {
      #expect(parsed(bad) == nil, "\(bad)")
    }
  }

  /// A result document small enough to hold every test to by hand.
  static let document = JSONValue.object([
    ("replications", .integer(100)),
    (
      "phases",
      .array([
        .object([
          ("name", .string("a")), ("pool", .string("h100|a100")),
          ("start_hours", .object([("mean", .number(0)), ("sd", .number(0))])),
          ("gpu_hours", .object([("mean", .number(1000)), ("p90", .number(1100)), ("sd", .number(50))])),
          ("runs_by_pool", .object([("h100", .integer(100))])),
        ]),
        .object([
          ("name", .string("b.c")),
          ("start_hours", .object([("mean", .number(12.5)), ("sd", .number(1))])),
          ("runs_by_pool", .object([("h100", .integer(60)), ("a100", .integer(40))])),
        ]),
      ])
    ),
  ])

  static func expectation(_ path: String, _ test: ExpectationTest, miss: String? = nil) -> ExpectedOutcome {
    ExpectedOutcome(
      path: path, test: test, written: "", knownMiss: miss, line: 1, column: 1, valueLine: 1,
      valueColumn: 1)
  }

  static func status(_ path: String, _ test: ExpectationTest, miss: String? = nil) -> CheckOutcome.Status? {
    try? CheckOutcome.evaluate(expectation(path, test, miss: miss), in: document, replications: 100)
      .get().status
  }

  @Test func eachTestAgainstAHandMadeResult() throws {
    // Absolute: |1000 − 990| = 10 ≤ 10 holds, 9.99 does not.
    #expect(Self.status("phases.a.gpu_hours.mean", .near(990, .absolute(10))) == .holds)
    #expect(Self.status("phases.a.gpu_hours.mean", .near(990, .absolute(9.99))) == .fails)
    // Relative: 1000 within 1% of 1010 (10.1) holds, of 1020 (10.2 < 20) fails.
    #expect(Self.status("phases.a.gpu_hours.mean", .near(1010, .relative(0.01))) == .holds)
    #expect(Self.status("phases.a.gpu_hours.mean", .near(1020, .relative(0.01))) == .fails)
    // Standard errors: sd 50 over √100 = 5 per se; 2 se = 10.
    #expect(Self.status("phases.a.gpu_hours.mean", .near(1010, .standardErrors(2))) == .holds)
    #expect(Self.status("phases.a.gpu_hours.mean", .near(1010.01, .standardErrors(2))) == .fails)
    let band = try CheckOutcome.evaluate(
      Self.expectation("phases.a.gpu_hours.mean", .near(1010, .standardErrors(2))),
      in: Self.document, replications: 100
    ).get()
    #expect(band.allowed == "± 2 se = ± 10")
    #expect(band.difference == "-10 (-0.99%)")
    #expect(Self.status("phases.a.gpu_hours.p90", .bound(.atMost, 1100)) == .holds)
    #expect(Self.status("phases.a.gpu_hours.p90", .bound(.below, 1100)) == .fails)
    #expect(Self.status("phases.a.gpu_hours.p90", .bound(.atLeast, 1100)) == .holds)
    #expect(Self.status("phases.a.gpu_hours.p90", .bound(.above, 1100)) == .fails)
    #expect(Self.status("phases.a.gpu_hours.mean", .exact(1000)) == .holds)
    #expect(Self.status("phases.a.gpu_hours.mean", .exact(1000.001)) == .fails)
    // Where it ran: every replication on h100 for a; b split 60/40.
    #expect(Self.status("phases.a.pool", .text("h100")) == .holds)
    #expect(Self.status("phases[b.c].pool", .text("h100")) == .fails)
    #expect(Self.status("order", .order(["a", "b.c"], by: .start)) == .holds)
    #expect(Self.status("order", .order(["b.c", "a"], by: .start)) == .fails)
    // A known miss that misses is reported, not failed; one that holds says so.
    #expect(Self.status("phases.a.gpu_hours.mean", .exact(5), miss: "why") == .knownMiss)
    #expect(Self.status("phases.a.gpu_hours.mean", .exact(1000), miss: "why") == .knownMissHolds)
  }

  @Test func pathsThatNameNoResult() {
    func problem(_ path: String) -> String? {
      if case .failure(let problem) = CheckOutcome.evaluate(
        Self.expectation(path, .exact(1)), in: Self.document, replications: 100)
      {
        return problem.message
      }
      return nil
    }
    #expect(problem("phases.a.gpu_hour.mean") == "phases.a has no key \"gpu_hour\"; did you mean \"gpu_hours\"?")
    #expect(problem("phases.a.gpu_hours.p95") == "phases.a.gpu_hours has no key \"p95\"; did you mean \"p90\"?")
    #expect(problem("phases.a.gpu_hours") == "phases.a.gpu_hours has mean, p90, sd under it; pick one, e.g. phases.a.gpu_hours.mean")
    #expect(problem("phases.a.gpu_hours.mean.x") == "phases.a.gpu_hours.mean is a single value; nothing is under it (remove \".x\")")
  }

  static let loadErrors: [(old: String, new: String, expected: String)] = [
    ("phases.train.interruptions.mean: 10 ± 3 se", "phases.trian.interruptions.mean: 10 ± 3 se",
     "configs/x.yaml:23:5: expect[0]: no phase \"trian\"; did you mean \"train\"?"),
    ("phases.train.interruptions.mean: 10 ± 3 se", "totl.cost_usd.mean: 10",
     "configs/x.yaml:23:5: expect[0]: a result path starts with phases, pools, total, order, end_order or sweep, got \"totl\"; did you mean \"total\"?"),
    ("10 ± 3 se", "10 ± 3 ses",
     "configs/x.yaml:23:38: expect[0].phases.train.interruptions.mean: a tolerance is a number (± 500), a percentage (± 2%) or standard errors (± 3 se), got \"3 ses\""),
    ("phases.train.interruptions.mean: 10 ± 3 se", "phases.train.interruptions.p90: 10 ± 3 se",
     "configs/x.yaml:23:37: expect[0].phases.train.interruptions.p90: a tolerance in standard errors (se) applies to one mean (not a sum); end the path in .mean or give the tolerance as a number or a percentage"),
    ("phases.train.interruptions.mean: 10 ± 3 se", "order: [train, trian]",
     "configs/x.yaml:23:20: expect[0].order[1]: no phase \"trian\"; did you mean \"train\"?"),
    ("phases.train.interruptions.mean: 10 ± 3 se", "pools.a10.utilization.mean: 0.5",
     "configs/x.yaml:23:5: expect[0]: no pool \"a10\"; did you mean \"a100\"?"),
    ("  - phases.train.interruptions.mean: 10 ± 3 se", "  phases.train.interruptions.mean: 10",
     "configs/x.yaml:23:3: expect: expected a list of expectations (- PATH: VALUE), got a mapping"),
  ]

  static let sweepErrors: [(old: String, new: String, expected: String)] = [
    ("phases.train.interruptions.mean: 10 ± 3 se", "sweep.cheapest.gpus: == 64",
     "configs/x.yaml:23:5: expect[0]: sweep.cheapest.gpus is a sweep's result: give the config a sweep: block (phase, gpus, set, replications; docs/check.md)"),
    ("expect:", "sweep: {phase: train, gpus: 64...32x2}\nexpect:",
     "configs/x.yaml:22:29: sweep.gpus: \"64...32x2\": expected FIRST...LASTxFACTOR or FIRST...LAST+STEP with whole numbers, 1 ≤ FIRST ≤ LAST ≤ 100,000,000, a factor of at least 2 or a step of at least 1"),
    ("expect:", "sweep: {phase: trian, gpus: 32}\nexpect:",
     "configs/x.yaml:22:16: sweep.phase: no phase \"trian\"; did you mean \"train\"?"),
  ]

  @Test(arguments: sweepErrors)
  func badSweepBlock(old: String, new: String, expected: String) {
    #expect(messages(edited(old, new)) == [expected])
  }

  /// `sweep.*` expectations read the sweep the `sweep:` block describes: 6,400 GPU-hours of work
  /// take 200 h on 32 GPUs and 100 h on 64, at the same cost (no failures on this pool).
  @Test func sweepChoiceIsChecked() throws {
    let text = """
      cluster:
        pools:
          - {name: h100, chip: H100-SXM5-80GB, nodes: 8, price_per_gpu_hour: 2}
      phases:
        - {name: train, pool: h100, gpus: 32, gpu_hours: 6400}
      simulation: {replications: 5}
      sweep: {phase: train, gpus: "32,64"}
      expect:
        - sweep.fastest.gpus: == 64
        - sweep.points[gpus=32].wall_clock_hours.mean: == 200
        - sweep.points[2].cost_usd.mean: 12800 ± 0.001%
        - sweep.points[gpus=64].feasible: "true"
        - phases.train.wall_clock_hours.mean: == 200
      """
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "clustersim-sweep-check-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("sweep.yaml").path
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    let check = try #require(try ConfigCheck.run(path: file))
    #expect(check.outcomes.map(\.status) == Array(repeating: .holds, count: 5), "\(check.outcomes.map(\.actual))")
  }

  @Test(arguments: loadErrors)
  func badExpectation(old: String, new: String, expected: String) {
    #expect(messages(edited(old, new)) == [expected])
  }

  /// Interruptions of the 100-hour phase: faults at λ = 8/80 per hour; each 0.1-hour segment
  /// is retried until it runs through, so it sees e^{λτ} − 1 faults on average and lasts
  /// (e^{λτ} − 1)/λ hours: E[K] = 1000 (e^{0.01} − 1) = 10.0502 and E[T] = 100.502 h. Checked
  /// at ± 3 se at each of five seeds; a 10% shift of the expectation (6 se) fails at every seed.
  @Test func stochasticOutcomeInStandardErrorsAtSeveralSeeds() throws {
    let k = 1000 * (exp(0.01) - 1)
    let t = k / 0.1
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "clustersim-check-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for seed in 1...5 {
      let text = Self.valid
        .replacingOccurrences(of: "seed: 1", with: "seed: \(seed)")
        .replacingOccurrences(
          of: "  - phases.train.interruptions.mean: 10 ± 3 se",
          with: """
              - phases.train.interruptions.mean: \(k) ± 3 se
              - phases.train.wall_clock_hours.mean: \(t) ± 3 se
              - phases.train.interruptions.mean: \(1.1 * k) ± 3 se
              - order: [train, after]
            """)
      let file = folder.appendingPathComponent("seed\(seed).yaml").path
      try text.write(toFile: file, atomically: true, encoding: .utf8)
      let check = try #require(try ConfigCheck.run(path: file))
      let statuses = check.outcomes.map(\.status)
      #expect(statuses == [.holds, .holds, .fails, .holds], "seed \(seed): \(check.outcomes.map(\.actual))")
      #expect(check.failures == 1)
    }
  }

  /// `--update` rewrites only the number of a failing expectation; comments, the tolerance,
  /// quotes and the other entries stay byte for byte.
  @Test func updateChangesExactlyTheNumbers() throws {
    let text = """
      # a comment
      expect:
        - phases.a.gpu_hours.mean: 990 ± 0.5%   # kept
        - {path: phases.a.gpu_hours.p90, value: "<= 1000"}
        - phases.a.gpu_hours.mean: 1000 ± 1   # holds: untouched
        - order: [b.c, a]
      """
    let entries: [(line: Int, column: Int, path: String, test: ExpectationTest)] = [
      (3, 30, "phases.a.gpu_hours.mean", .near(990, .relative(0.005))),
      (4, 43, "phases.a.gpu_hours.p90", .bound(.atMost, 1000)),
      (5, 30, "phases.a.gpu_hours.mean", .near(1000, .absolute(1))),
      (6, 12, "order", .order(["b.c", "a"], by: .start)),
    ]
    let outcomes = try entries.map { entry in
      let e = ExpectedOutcome(
        path: entry.path, test: entry.test, written: "", line: entry.line, column: 5,
        valueLine: entry.line, valueColumn: entry.column)
      return try CheckOutcome.evaluate(e, in: Self.document, replications: 100).get()
    }
    #expect(outcomes.map(\.status) == [.fails, .fails, .holds, .fails])
    let source = Array(text.utf8)
    let failing = try ExpectationUpdate.plan(
      outcomes, scope: .failing, source: source, file: "t.yaml"
    ).get()
    // The failing bound is a policy: kept as written, and counted.
    #expect(failing.changed == 2)
    #expect(failing.keptBounds == 1)
    #expect(
      String(decoding: failing.bytes, as: UTF8.self) == """
        # a comment
        expect:
          - phases.a.gpu_hours.mean: 1000 ± 0.5%   # kept
          - {path: phases.a.gpu_hours.p90, value: "<= 1000"}
          - phases.a.gpu_hours.mean: 1000 ± 1   # holds: untouched
          - order: [a, b.c]
        """)
    let moved = try ExpectationUpdate.plan(
      outcomes, scope: .failing, moveBounds: true, source: source, file: "t.yaml"
    ).get()
    #expect(moved.changed == 3)
    #expect(String(decoding: moved.bytes, as: UTF8.self).contains(#"value: "<= 1100"}"#))
    let all = try ExpectationUpdate.plan(outcomes, scope: .all, source: source, file: "t.yaml").get()
    #expect(all.changed == 2)
  }

  /// The table and JUnit group thousands; `show`, which `--update` writes into configs, does not.
  @Test func figuresShownWithThousandsGrouped() {
    #expect(CheckOutcome.display(31_536_485) == "31,536,485")
    #expect(CheckOutcome.display(95_642.1) == "95,642.1")
    #expect(CheckOutcome.display(-35_252.5) == "-35,252.5")
    #expect(CheckOutcome.display(0.861224) == "0.861224")
    #expect(CheckOutcome.display(999) == "999")
    #expect(CheckOutcome.display(1.5e13) == "1.5e+13")
    #expect(CheckOutcome.signed(696_485) == "+696,485")
    #expect(CheckOutcome.show(31_536_485) == "31536485")
  }
}
