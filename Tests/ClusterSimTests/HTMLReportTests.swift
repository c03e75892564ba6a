import Foundation
import Plot
import Testing

@testable import ClusterSim

/// The HTML report's pieces against hand computations: Gantt bands, escaping, histogram bins,
/// tick labels; and the page and Gantt of the reference configs.
@Suite struct HTMLReportTests {
  typealias Slice = Timeline.Slice

  static func slice(_ activity: Timeline.Activity, _ start: Double, _ end: Double) -> Slice {
    Slice(phase: 0, pool: 0, activity: activity, startHours: start, endHours: end)
  }

  /// 10 h over 10 columns, a 0.2 h restart inside column 4: the bar stays one compute band of
  /// 9.8 h, and the restart is a mark of its own on column 4.
  @Test func restartInsideAColumnIsAMark() {
    let bands = GanttBands(
      slices: [Self.slice(.compute, 0, 4.6), Self.slice(.restart, 4.6, 4.8), Self.slice(.compute, 4.8, 10)],
      startHours: 0, endHours: 10, columns: 10)
    #expect(bands.main.count == 1)
    #expect(bands.main[0].activity == .compute)
    #expect(bands.main[0].firstColumn == 0 && bands.main[0].endColumn == 10)
    #expect(abs(bands.main[0].hours - 9.8) < 1e-12)
    #expect(bands.pauses.count == 1)
    #expect(bands.pauses[0].activity == .restart)
    #expect(bands.pauses[0].firstColumn == 4 && bands.pauses[0].endColumn == 5)
    #expect(abs(bands.pauses[0].hours - 0.2) < 1e-12)
    #expect(bands.checkpoints.isEmpty)
  }

  /// A repair wait over 3.5 columns takes columns 3 to 5 of the bar (it is most of each), and the
  /// 0.5 h it has in column 6 (0.3 h compute there) too; compute resumes at column 7.
  @Test func longPauseTakesTheBar() {
    let bands = GanttBands(
      slices: [Self.slice(.compute, 0, 3), Self.slice(.waitForRepair, 3, 6.5), Self.slice(.compute, 6.7, 10)],
      startHours: 0, endHours: 10, columns: 10)
    #expect(bands.main.map(\.activity) == [.compute, .waitForRepair, .compute])
    #expect(bands.main.map(\.firstColumn) == [0, 3, 7])
    #expect(bands.main.map(\.endColumn) == [3, 7, 10])
    #expect(abs(bands.main[1].hours - 3.5) < 1e-12)
    #expect(bands.pauses.isEmpty)
  }

  /// Checkpoints far apart (28 and 30 columns) are one band each, their level their share of
  /// the peak share.
  @Test func sparseCheckpointsKeepTheirOwnBands() {
    var slices = [Self.slice(.compute, 0, 100)]
    slices.append(Self.slice(.checkpoint, 2, 2.4))
    slices.append(Self.slice(.checkpoint, 30, 30.1))
    slices.append(Self.slice(.checkpoint, 60, 60.4))
    // Compute overlaps the writes here; only the shares matter: 0.4 / 1.4 and 0.1 / 1.1.
    let bands = GanttBands(slices: slices, startHours: 0, endHours: 100, columns: 100)
    #expect(bands.checkpoints.map(\.firstColumn) == [2, 30, 60])
    #expect(bands.checkpoints.allSatisfy { $0.endColumn == $0.firstColumn + 1 })
    // 0.1 / 1.1 = 0.0909 of a 0.4 / 1.4 = 0.2857 peak: 0.318 × 4 = 1.27, level 2.
    #expect(bands.checkpoints.map(\.level) == [4, 2, 4])
    #expect(abs(bands.checkpoints.map(\.hours).reduce(0, +) - 0.9) < 1e-12)
  }

  /// A steady cadence that aliases against the bins (every column holds a write, alternately
  /// 0.1 h and 0.05 h) draws as one band, not a band per column, and keeps every write's hours.
  @Test func denseCheckpointsSmoothIntoOneBand() {
    var slices: [Slice] = []
    var total = 0.0
    for column in 0..<200 {
      let write = column % 2 == 0 ? 0.1 : 0.05
      slices.append(Self.slice(.compute, Double(column), Double(column + 1) - write))
      slices.append(Self.slice(.checkpoint, Double(column + 1) - write, Double(column + 1)))
      total += write
    }
    let bands = GanttBands(slices: slices, startHours: 0, endHours: 200, columns: 200)
    #expect(bands.main.count == 1)
    #expect(bands.checkpoints.count == 1, "\(bands.checkpoints.count) strip bands")
    #expect(bands.checkpoints.first?.firstColumn == 0 && bands.checkpoints.first?.endColumn == 200)
    #expect(abs((bands.checkpoints.first?.hours ?? 0) - total) < 1e-9)
    // Without the smoothing the levels alternate: 0.05 of a 0.1 peak is level 2, 0.1 level 4.
    let raw = GanttBands.bands(
      of: (0..<200).map { $0 % 2 == 0 ? 0.1 : 0.05 }, hours: [Double](repeating: 0, count: 200))
    #expect(raw.count == 200)
  }

  @Test func escapesEveryUserCharacter() {
    #expect(XMLText.attribute(#"a"b<c>&'d"#) == "a&quot;b&lt;c&gt;&amp;&apos;d")
    // XML cannot carry control characters; a newline stays in text, is a reference in attributes.
    #expect(XMLText.text("a\u{7}b\nc") == "ab\nc")
    #expect(XMLText.attribute("a\u{7}b\nc\td") == "ab&#10;c&#9;d")
    // An entity-looking name is text, not an entity: its & is escaped.
    let rendered = Tags.element("p", ["title": "R&amp;D \"x\""], [Tags.text("<script>")]).render()
    #expect(rendered == "<p title=\"R&amp;amp;D &quot;x&quot;\">&lt;script&gt;</p>")
  }

  /// 1 to 100: IQR 50, Freedman–Diaconis width 2 × 50 / 100^(1/3) = 21.5, so 99 / 21.5 → 5 bins
  /// of 19.8, 20 values each.
  @Test func histogramBinsFollowFreedmanDiaconis() {
    let even = HistogramChart.bins((1...100).map(Double.init))
    #expect(even.counts == [20, 20, 20, 20, 20])
    #expect(abs(even.width - 19.8) < 1e-12)
    // 95 values in [0, 0.94] and 5 at 100: IQR 0.5 gives 464 bins, capped at 40; the outliers
    // stay in the last bin, the bulk in the first (2.5 wide).
    let skewed = HistogramChart.bins((0..<95).map { Double($0) / 100 } + [Double](repeating: 100, count: 5))
    #expect(skewed.counts.count == 40)
    #expect(skewed.counts.first == 95 && skewed.counts.last == 5)
    #expect(HistogramChart.bins([3, 3, 3]).counts == [3])
    // A run that costs nothing: one bin a dollar wide, not 1e-9 (its ticks would all read $0).
    #expect(HistogramChart.bins([0, 0]).width == 1)
  }

  @Test func markerLabelsDoNotOverlap() {
    // p10 at 100 and p50 at 102 (labels 10 wide each side) cannot share a level; p90 at 200 can.
    #expect(HistogramChart.labelLevels(xs: [100, 102, 200], halfWidths: [10, 10, 10]) == [0, 1, 0])
    #expect(HistogramChart.labelLevels(xs: [200, 100, 101, 102], halfWidths: [10, 10, 10, 10]) == [0, 0, 1, 2])
  }

  /// A skewed histogram (90 equal values, 10 far above): p10, p50, p90 and the mean crowd at the
  /// left and their labels stack in rows; no marker line reaches up into a row of labels.
  @Test func markerLinesStopBelowEveryLabel() throws {
    let values = [Double](repeating: 300_000, count: 90) + (0..<10).map { 320_000 + Double($0) * 1_000 }
    let stat = Statistic(values)
    let chart = HistogramChart(
      values: values,
      markers: [("p10", stat.p10), ("p50", stat.p50), ("p90", stat.p90), ("mean", stat.mean)],
      axisTitle: "cost (USD)", format: { TextTable.dollars($0) }, unit: .dollars)
    let svg = try #require(chart.markup(label: "cost")).render()
    func numbers(_ pattern: String) -> [Double] {
      let regex = try! NSRegularExpression(pattern: pattern)
      return regex.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).compactMap {
        Range($0.range(at: 1), in: svg).flatMap { Double(svg[$0]) }
      }
    }
    let labelBaselines = numbers(##"<text[^>]*y="([0-9.]+)"[^>]*fill="#d62728">"##)
    let lineTops = numbers(##"<line[^>]*y1="([0-9.]+)"[^>]*stroke="#d62728""##)
    #expect(labelBaselines.count == 4 && lineTops.count == 4)
    #expect(Set(labelBaselines).count > 1, "the crowded labels stack in rows")
    #expect(lineTops.min()! > labelBaselines.max()!)
  }

  @Test func tickLabelsTakeTheirDecimalsFromTheStep() {
    #expect(SVG.tickLabel(5, step: 5, unit: .suffix(" s")) == "5 s")
    #expect(SVG.tickLabel(0.5, step: 0.5, unit: .none) == "0.5")
    #expect(SVG.tickLabel(11.04, step: 0.02, unit: .none) == "11.04")
    #expect(SVG.tickLabel(1_500_000, step: 500_000, unit: .dollars) == "$1,500,000")
    let ticks = SVG.ticks(from: -1e-10, to: 10, step: 5)
    #expect(ticks == [0, 5, 10])
    #expect(ticks[0].sign == .plus, "a tick of -0 would print as -0")
  }

  static func load(_ name: String) throws -> Program {
    try ConfigLoader.load(
      path: ReferenceConfigTests.repository.appendingPathComponent("configs/\(name)").path)
  }

  /// The Gantt of the failure benchmark: 56.8 days of 30-minute checkpoints and a failure every
  /// few days, drawn in a few hundred shapes with its failures, restarts and checkpoints visible.
  @Test func reliabilityGanttShowsFailuresRestartsAndCheckpoints() throws {
    let traced = try TracedReplication(program: Self.load("bench-reliability.yaml"))
    let svg = GanttReport(traced, options: GanttOptions(columnsPerPixel: 4)).rendered()
    let restarts = traced.timeline.slices.filter { $0.activity == .restart }.count
    let failures = traced.timeline.marks.filter { $0.kind == .failure }.count
    let writes = traced.timeline.slices.filter { $0.activity == .checkpoint }.count
    #expect(restarts > 20 && failures > 20 && writes > 2_000)
    func count(_ text: String) -> Int { svg.components(separatedBy: text).count - 1 }
    #expect(count("class=\"band-restart\"") > 20)
    #expect(count("class=\"mark-failure\"") > 20)
    #expect(count("class=\"band-checkpoint-density\"") >= 1)
    #expect(count("<rect") < 600, "\(count("<rect")) rectangles for \(writes) checkpoint writes")
    // Each 10-minute restart is 0.2 px at this scale, drawn 1.5 px wide so it shows, whether it
    // took its column (a band of the bar) or not (a mark over it).
    let restartWidths = try NSRegularExpression(
      pattern: #"<rect x="[^"]*" y="[^"]*" width="([^"]*)"[^>]*class="band-restart""#
    ).matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).compactMap { match in
      Range(match.range(at: 1), in: svg).flatMap { Double(svg[$0]) }
    }
    #expect(restartWidths.count == count("class=\"band-restart\""))
    #expect(restartWidths.allSatisfy { $0 >= 1.5 }, "\(restartWidths.prefix(5))")
    // Each widened one carries its true place, which the page's zoom scales instead.
    #expect(count("class=\"band-restart\" data-x=\"") == restartWidths.count)
    // Rows are labelled with GPUs, hours and dollars; the axis has days.
    let phase = traced.outcome.phases[0]
    #expect(svg.contains("2,048 GPUs · \(TextTable.grouped(phase.wallClockHours, decimals: 1)) h · $"))
    #expect(svg.contains(">day 50<"))
  }

  /// A window of the first day: no day axis (under two days), a line saying what it shows, and
  /// only slices inside it.
  @Test func ganttWindow() throws {
    let traced = try TracedReplication(program: Self.load("deepseek-r1.yaml"))
    let whole = GanttReport(traced).rendered()
    #expect(whole.contains(">day 10<"))
    let svg = GanttReport(traced, options: GanttOptions(widthPixels: 800, window: 0...24)).rendered()
    #expect(!svg.contains(">day "))
    #expect(svg.contains("showing 0.0–24.0 h (day 0.0–1.0)"))
    #expect(svg.contains("width=\"800\""))
    #expect(svg.contains(">20<"))
    // At the narrowest width the label column gives up room (160 px of 400) and the hour ticks
    // thin out to about one per 90 px: 220 px of plot over 266 h, every 200 h.
    let narrow = GanttReport(traced, options: GanttOptions(widthPixels: 400)).rendered()
    #expect(narrow.contains("data-left=\"160\" data-plot-width=\"220\""))
    #expect(narrow.contains(">200<") && !narrow.contains(">100<"))
  }

  /// The page of a config whose names carry markup: every name escaped, every section present,
  /// the config and version embedded.
  @Test func pageEscapesNamesAndHoldsEverySection() throws {
    let yaml = """
      cluster:
        pools:
          - name: "a<b>&\\"c"
            chip: H100-SXM5-80GB
            nodes: 4
            price_per_gpu_hour: 2
            failures:
              components:
                - {name: "gpu<x>", mtbf_hours: 500, repair_hours: 4}
      phases:
        - name: "<script>alert(1)</script>"
          pool: "a<b>&\\"c"
          gpus: 32
          hours: 100
          checkpoint:
            interval: 1
            write_minutes: 1
            restore_minutes: 5
      simulation:
        replications: 40
      """
    let plan = try ConfigLoader.parsePlan(yaml: yaml, file: "names.yaml")
    let result = try Simulation.run(plan, keepingTotals: true)
    #expect(result.totals.count == 40)
    let page = HTMLReport(
      result: result, traced: try TracedReplication(plan: plan), explain: try ExplainReport(plan),
      configText: yaml, command: "clustersim report names.yaml --html x.html"
    ).rendered()
    #expect(page.hasPrefix(
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\"/><title>ClusterSim report: names.yaml</title>"))
    #expect(!page.contains("og:title"))
    #expect(!page.contains("<script>alert(1)"))
    #expect(!page.contains("a<b>"))
    #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(page.contains("a&lt;b&gt;&amp;&quot;c"))
    for id in ["summary", "cost", "distribution", "gantt", "failures"] {
      #expect(page.contains("<section id=\"\(id)\" data-chart=\"\(id)\">"), "section \(id)")
    }
    // A phase given in hours has no step model: the steps section is there but not charted.
    #expect(page.contains("<section id=\"steps\">"))
    #expect(page.contains("<section id=\"provenance\">"))
    #expect(page.contains("ClusterSim \(ClusterSimVersion.current)"))
    #expect(page.contains("mtbf_hours: 500"))
    // Nothing is fetched.
    for reference in ["src=", "href=\"http", "@import", "url(http"] {
      #expect(!page.contains(reference), "\(reference) in the page")
    }
  }
}
