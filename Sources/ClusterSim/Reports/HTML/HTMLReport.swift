import Foundation
import Plot

/// The report of a run (and of a sweep) as one self-contained HTML page, for readers who will not
/// run the CLI: the summary in days and hours with its spread, where the money went, the
/// distribution over replications, the Gantt of one replication with zoom and hover details,
/// failures and checkpoints, each phase's step explained, the sweep's curves and Pareto front,
/// and the config and version that produced it (`docs/output.md`, "clustersim report").
///
/// Nothing is fetched: styles, script and charts (inline SVG) are in the file. Each charted
/// section is a `<section data-chart>`, which the browser test checks is drawn.
public struct HTMLReport: Sendable {
  /// The simulated run, with every replication's totals kept (`keepingTotals`).
  public let result: SimulationResult
  /// The replication the Gantt draws.
  public let traced: TracedReplication
  public let explain: ExplainReport
  /// The config file as the user wrote it.
  public let configText: String
  /// The sweep, when the report has one, and the flags that made it.
  public let sweep: (result: SweepResult, flags: String)?
  /// The command line that produced the page.
  public let command: String
  public let gantt: GanttOptions
  /// The run's table rows (where each phase ran, its checkpoint interval), read by several sections.
  let report: ResultReport

  public init(
    result: SimulationResult, traced: TracedReplication, explain: ExplainReport,
    configText: String, sweep: (result: SweepResult, flags: String)? = nil, command: String,
    gantt: GanttOptions = GanttOptions(columnsPerPixel: 4)
  ) {
    self.result = result
    self.traced = traced
    self.explain = explain
    self.configText = configText
    self.sweep = sweep
    self.command = command
    self.gantt = gantt
    self.report = ResultReport(result)
  }

  var program: Program { result.program }

  /// A section: heading, a line under it, then its content.
  static func section(
    _ id: String, _ heading: String, lead: String, charted: Bool = true, _ content: [Markup]
  ) -> Markup {
    var attributes: [(String, String)] = [("id", id)]
    if charted { attributes.append(("data-chart", id)) }
    return Tags.element(
      "section", list: attributes,
      [Tags.element("h2", [:], [Tags.text(heading)]), Tags.element("p", ["class": "lead"], [Tags.text(lead)])]
        + content)
  }

  /// A table with a header row; the cells of columns from `numericFrom` up to (not including)
  /// `textFrom` are numbers, right-aligned; the first column and those from `textFrom` on are text.
  static func table(
    _ header: [String], _ rows: [[String]], numericFrom: Int = 1, textFrom: Int = .max
  ) -> Markup {
    func cells(_ row: [String], _ tag: String) -> [Markup] {
      row.enumerated().map { index, cell in
        let kind = index >= numericFrom && index < textFrom ? "num" : index == 0 ? "name" : "text"
        return Tags.element(tag, list: [("class", kind)], [Tags.text(cell)])
      }
    }
    return Tags.element("table", [:], [
      Tags.element("thead", [:], [Tags.element("tr", [:], cells(header, "th"))]),
      Tags.element("tbody", [:], rows.map { Tags.element("tr", [:], cells($0, "td")) }),
    ])
  }

  /// A figure: a chart, or a line saying why there is none.
  static func figure(_ chart: Markup?, caption: String, empty: String) -> Markup {
    guard let chart else { return Tags.element("p", ["class": "empty"], [Tags.text(empty)]) }
    return Tags.element("figure", [:], [chart, Tags.element("figcaption", [:], [Tags.text(caption)])])
  }

  /// The whole page.
  public func rendered() -> String {
    let title = "ClusterSim report: \(program.source == "-" ? "config from standard input" : program.source)"
    var sections = [summary(), cost(), distribution(), ganttSection(), failures(), steps()]
    if let sweep { sections.append(sweepSection(sweep.result, flags: sweep.flags)) }
    let published = expectations()
    if let published { sections.append(published) }
    sections.append(provenance())
    let navigation = Tags.element("nav", [:], [
      Tags.element("ul", [:], Self.contents(sweep: sweep != nil, expectations: published != nil).map { id, name in
        Tags.element("li", [:], [Tags.element("a", ["href": "#\(id)"], [Tags.text(name)])])
      })
    ])
    let header = Tags.element("header", [:], [
      Tags.element("h1", [:], [Tags.text(title)]),
      Tags.element("p", ["class": "meta"], [Tags.text(
        "\(TextTable.grouped(Double(result.replications), decimals: 0)) replications, seed "
          + "\(result.seed), policy \(program.policy.rawValue); ClusterSim \(ClusterSimVersion.current)")]),
      Tags.element("p", ["class": "meta"], [Tags.element("code", [:], [Tags.text(command)])]),
    ])
    // Plot's .title(...) adds social-card meta tags a local file has no use for; the charset
    // comes first, as HTML asks (within the first 1,024 bytes).
    let page = HTML(
      .lang(.english),
      .head(
        .meta(.charset(.utf8)),
        .raw("<title>\(XMLText.text(title))</title>"),
        .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
        .meta(.name("generator"), .content("ClusterSim \(ClusterSimVersion.current)")),
        .style(ReportAssets.css)
      ),
      .body(
        .group([header, navigation, Tags.element("main", [:], sections)]),
        .script(.raw(ReportAssets.script))
      )
    )
    return page.render() + "\n"
  }

  /// The sections in order, for the contents list.
  static func contents(sweep: Bool, expectations: Bool = false) -> [(String, String)] {
    [
      ("summary", "Summary"), ("cost", "Where the money went"), ("distribution", "Spread"),
      ("gantt", "One replication"), ("failures", "Failures and checkpoints"),
      ("steps", "Steps explained"),
    ] + (sweep ? [("sweep", "Sweep")] : [])
      + (expectations ? [("expectations", "Published against predicted")] : [])
      + [("provenance", "Config and version")]
  }

  /// What produced the page: version, command, the config as written.
  func provenance() -> Markup {
    Self.section(
      "provenance", "Config and version",
      lead: "Produced by ClusterSim \(ClusterSimVersion.current) from \(program.source) (seed "
        + "\(result.seed)); the config below is the file as it was read.", charted: false,
      [
        Tags.element("details", ["open": "open"], [
          Tags.element("summary", [:], [Tags.text(program.source)]),
          Tags.element("pre", ["class": "config"], [Tags.text(configText)]),
        ])
      ])
  }
}
