import Foundation
import Testing

/// Issue 25: nothing capped a run's total work (accepted-work-unbounded.yaml, about 19
/// CPU-days, started without a word). The run's CPU time is estimated from the plan first.
@Suite struct RunCostCLITests {
  /// Valid, each replication just under the interruption limit, replications at their maximum.
  static let unbounded = """
    cluster:
      pools:
        - name: h0
          chip: H100-SXM5-80GB
          nodes: 1100
          spare_nodes: 1000
          price_per_gpu_hour: 2
          failures: {profile: llama3, scale: 100}
    phases:
      - name: p
        pool: h0
        gpus: 8192
        hours: 110000
        checkpoint: {interval: auto, write_minutes: 0.01, restore_minutes: 0.01}
        restart_minutes: 0.01
    simulation: {replications: 1000000}
    """

  @Test(arguments: [["simulate"], ["report", "--html", "page.html"], ["bench", "--repeats", "1"]])
  func aRunOfDaysIsRefusedBeforeItStarts(command: [String]) throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = try CLITests.write(Self.unbounded, to: "u.yaml", in: folder)
    let arguments = [command[0], config] + command.dropFirst().map {
      $0.hasSuffix(".html") ? folder.appendingPathComponent($0).path : $0
    }
    let start = Date()
    let output = try CLITests.run(arguments)
    #expect(output.status == 2)
    #expect(output.stdout.isEmpty)
    #expect(
      output.stderr
        == "clustersim: --replications: this run would take about 18 CPU-days (1,000,000 "
        + "replications of about 7.7 million events), more than the one CPU-day a run may take "
        + "unless told; run fewer replications, or give --long-run to go ahead\n")
    // Refused from the plan: no replication ran (one takes about 1.5 s in a release build).
    #expect(Date().timeIntervalSince(start) < 60)
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("page.html").path))
  }

  /// Fewer replications, or `--long-run`, go ahead; a shipped config says nothing extra.
  @Test func smallRunsAndLongRunGoAhead() throws {
    let small = try CLITests.run([
      "simulate", "configs/example.yaml", "--replications", "5", "--long-run", "--format", "csv",
    ])
    #expect(small.status == 0)
    #expect(small.stderr.isEmpty)
    let plain = try CLITests.run(["simulate", "configs/example.yaml", "--replications", "5", "--format", "csv"])
    #expect(plain.stdout == small.stdout)
  }

  /// `sweep` and `check` estimate every run they would make before the first: a sweep of two
  /// points is twice the config's million replications; a check of the config is refused at its
  /// file unless --long-run.
  @Test func sweepsAndChecksAreEstimatedToo() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = try CLITests.write(Self.unbounded, to: "u.yaml", in: folder)
    let sweep = try CLITests.run(["sweep", config, "--phase", "p", "--gpus", "4096,8192"])
    #expect(sweep.status == 2)
    #expect(
      sweep.stderr
        == "clustersim: --replications: this run would take about 36 CPU-days (2,000,000 "
        + "replications of about 7.7 million events), more than the one CPU-day a run may take "
        + "unless told; run fewer replications, or give --long-run to go ahead\n")
    let expecting = try CLITests.write(
      Self.unbounded + "\nexpect:\n  - total.cost_usd.mean: 1 ± 1%\n", to: "e.yaml", in: folder)
    let check = try CLITests.run(["check", expecting])
    #expect(check.status == 2)
    #expect(
      check.stderr
        == "\(expecting): checking it would take about 18 CPU-days (1,000,000 replications of "
        + "about 7.7 million events), more than the one CPU-day a check may take unless told; "
        + "give it fewer replications, or give --long-run to go ahead\n")
  }
}
