import Foundation
import Testing

/// `clustersim report` and the Gantt flags from the command line: the page written whole, and
/// every bad flag refused in one line with no file left behind.
@Suite struct ReportCLITests {
  @Test func reportOfTheReferenceRunHoldsEverySection() throws {
    let directory = try CLITests.temporaryDirectory()
    let page = directory.appendingPathComponent("r1.html").path
    let output = try CLITests.run([
      "report", "configs/deepseek-r1.yaml", "--html", page, "--replications", "20",
      "--trace-replication", "3",
    ])
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stdout.isEmpty)
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    for id in ["summary", "cost", "distribution", "gantt", "failures", "steps"] {
      #expect(html.contains("<section id=\"\(id)\" data-chart=\"\(id)\">"), "section \(id)")
    }
    #expect(html.contains("<section id=\"provenance\">"))
    #expect(!html.contains("<section id=\"sweep\""))
    #expect(html.contains("Replication 3: "))
    #expect(html.contains("20 replications, seed 1"))
    // The config as read, escaped: its comments and keys.
    let config = try String(
      contentsOf: CLITests.repository.appendingPathComponent("configs/deepseek-r1.yaml"), encoding: .utf8)
    let firstLine = try #require(config.split(separator: "\n").first)
    #expect(html.contains(String(firstLine).replacingOccurrences(of: "&", with: "&amp;")
      .replacingOccurrences(of: "'", with: "&apos;").replacingOccurrences(of: "\"", with: "&quot;")))
  }

  @Test func reportWithASweepHasItsSection() throws {
    let directory = try CLITests.temporaryDirectory()
    let page = directory.appendingPathComponent("v3.html").path
    let output = try CLITests.run([
      "report", "configs/deepseek-v3.yaml", "--html", page, "--replications", "5",
      "--sweep", "--phase pre-training --gpus 1024,2048 --replications 5",
    ])
    #expect(output.status == 0, "\(output.stderr)")
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(html.contains("<section id=\"sweep\" data-chart=\"sweep\">"))
    // With bf16 gradients 1,024 H800 hold the model too (docs/sweeps.md): two feasible points,
    // the cheaper and the faster, both on the Pareto front, which is drawn.
    #expect(html.contains("1,024\u{00A0}GPUs"))
    #expect(html.contains("2,048\u{00A0}GPUs"))
    #expect(html.contains("class=\"pareto-front\""), "two feasible points draw a front line")
  }

  /// Each bad invocation: a non-zero exit, one line on standard error naming the flag, no page.
  @Test(arguments: [
    (["--sweep", "configs/deepseek-v3.yaml --phase pre-training"], "--sweep: give sweep flags only"),
    (["--sweep", "--phase pre-training --output x.json"], "--sweep: --output writes a file of its own"),
    (["--sweep", "--phase nope"], "--phase: no phase named \"nope\""),
    (["--sweep", "--phase 'pre-training"], "--sweep: a quote is not closed"),
    (["--sweep", "--help"], "--sweep: takes sweep flags, not help"),
    (["--gantt-width", "100"], "--gantt-width must be between 400 and 20,000 pixels, got 100"),
    (["--sweep"], "Missing value for '--sweep <flags>'"),
    (["--seed", "x"], "--seed must be a whole number"),
    (["--gantt-window", "5..2"], "--gantt-window must be START..END"),
    (["--gantt-window", "1d-2d"], "--gantt-window must be START..END"),
    (["--gantt-window", "100..100.0001"], "at least a second apart"),
    (["--trace-replication", "30", "--replications", "20"], "--trace-replication: 30 is beyond the run's 20 replications"),
    (["--gantt-window", "100000..200000", "--replications", "2"], "--gantt-window: 100000..200000 starts after the replication's end at"),
  ])
  func badFlagsAreRefused(flags: [String], message: String) throws {
    let directory = try CLITests.temporaryDirectory()
    let page = directory.appendingPathComponent("page.html").path
    let output = try CLITests.run(["report", "configs/deepseek-v3.yaml", "--html", page] + flags)
    #expect(output.status != 0)
    #expect(output.stderr.contains(message), "\(output.stderr)")
    #expect(output.stderr.split(separator: "\n").count == 1, "not one line: \(output.stderr)")
    #expect(!FileManager.default.fileExists(atPath: page))
  }

  @Test func unwritablePageIsRefusedBeforeSimulating() throws {
    let output = try CLITests.run([
      "report", "configs/deepseek-r1.yaml", "--html", "/nonexistent-folder/r1.html",
    ])
    #expect(output.status != 0)
    #expect(output.stderr.contains("/nonexistent-folder"), "\(output.stderr)")
    #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
  }

  /// `simulate --gantt` with a window in days and a width.
  @Test func ganttWindowInDays() throws {
    let directory = try CLITests.temporaryDirectory()
    let svg = directory.appendingPathComponent("g.svg").path
    let output = try CLITests.run([
      "simulate", "configs/deepseek-r1.yaml", "--replications", "2", "--gantt", svg,
      "--gantt-window", "1d..3d", "--gantt-width", "900",
    ])
    #expect(output.status == 0, "\(output.stderr)")
    let text = try String(contentsOfFile: svg, encoding: .utf8)
    #expect(text.contains("showing 24.0–72.0 h (day 1.0–3.0)"))
    #expect(text.contains("width=\"900\""))
    // 48 hours on 655 px of plot (900 less a 225 px label column): about 7 ticks, so every
    // 10 h from 30, and a day axis (days 1, 2, 3).
    #expect(text.contains("data-left=\"225\" data-plot-width=\"655\""))
    #expect(text.contains(">30<") && text.contains(">70<") && !text.contains(">25<"))
    #expect(text.contains(">day 2<"))
  }

  /// `explain`'s JSON gives whole steps, as its table does: prep-30b's 50e9 tokens in batches of
  /// 1,024 × 4,096 tokens are 11,920.9 steps, written 11921.
  @Test func explainJSONStepsAreWhole() throws {
    let output = try CLITests.run(["explain", "configs/deepseek-r1.yaml", "--phase", "prep-30b", "--format", "json"])
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stdout.contains("\"steps\": 11921,"), "\(output.stdout.prefix(600))")
  }
}
