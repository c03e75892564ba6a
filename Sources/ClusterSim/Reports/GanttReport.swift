import Foundation
import Plot

/// How a Gantt chart is drawn: its width, the hours it shows, and how finely it bins them.
public struct GanttOptions: Sendable, Hashable {
  /// The chart's width in pixels, labels included (400 to 20,000).
  public var widthPixels: Int
  /// The hours from the start of the program it shows (nil: the whole run).
  public var window: ClosedRange<Double>?
  /// Bins per pixel of the plot: more than 1 keeps detail when the HTML page zooms in.
  public var columnsPerPixel: Int

  public static let widths = 400...20_000

  /// Why the window cannot be drawn for a replication that ended at `endHours`, or nil.
  public func windowProblem(endHours: Double) -> String? {
    guard let window, window.lowerBound >= endHours else { return nil }
    return "starts after the replication's end at \(TextTable.grouped(endHours, decimals: 1)) h "
      + "(day \(TextTable.grouped(endHours / 24, decimals: 1))); give a start before it"
  }

  public init(widthPixels: Int = 1200, window: ClosedRange<Double>? = nil, columnsPerPixel: Int = 1) {
    self.widthPixels = widthPixels
    self.window = window
    self.columnsPerPixel = columnsPerPixel
  }
}

/// One replication drawn as a Gantt chart in SVG: a row per phase, grouped by pool, each labelled
/// with its GPUs, hours and dollars. Slices narrower than a pixel merge into bands
/// (`GanttBands`): the main bar by what took most of each pixel, restarts, repair waits and
/// maintenance as marks at least a pixel wide, checkpoint writes as a density strip under the
/// bar. Failures and repairs are ticks; queueing a dashed line; the axes give hours below and
/// days above (runs of two days or more). Every shape carries its details as a tooltip.
public struct GanttReport: DrawsReplication, Sendable {
  public let traced: TracedReplication
  public let options: GanttOptions

  /// The hours drawn: the options' window, or the whole replication. Stored, as every shape's
  /// x reads it and the replication's end is a pass over all its phases.
  let window: ClosedRange<Double>

  public init(_ traced: TracedReplication, options: GanttOptions = GanttOptions()) {
    self.traced = traced
    self.options = options
    self.window = options.window ?? 0...max(traced.outcome.wallClockHours, 1e-9)
  }

  static let colors: [Timeline.Activity: String] = [
    .compute: "#4e79a7", .checkpoint: "#f28e2b", .restart: "#e15759",
    .waitForRepair: "#b07aa1", .maintenance: "#9c755f",
  ]
  /// The strip of checkpoint writes too short to draw one by one: a colour of its own, so it does
  /// not read as a checkpoint drawn to scale (the orange bar band).
  static let checkpointDensityColor = "#76b7b2"
  /// Failure ticks are darker than the restart colour so the two read apart on a bar.
  static let failureColor = "#7f0000"
  static let repairColor = "#2ca02c"
  static let minimumPausePixels = 1.5
  /// The label column: 300 px, less on a narrow chart (a quarter of it, at least 160 px).
  var left: Double { min(300, max(160, 0.25 * Double(options.widthPixels))) }
  /// About one hour tick per 90 px of plot.
  var tickTarget: Double { max(2, plotWidth / 90) }
  static let right = 20.0
  static let top = 70.0

  var plotWidth: Double { Double(options.widthPixels) - left - Self.right }
  /// The bins across the plot: `columnsPerPixel` per pixel.
  var columns: Int { Int(plotWidth.rounded()) * max(1, options.columnsPerPixel) }

  func x(_ hours: Double) -> Double {
    left + (hours - window.lowerBound) / (window.upperBound - window.lowerBound) * plotWidth
  }

  static func span(_ low: Double, _ high: Double) -> String {
    "\(TextTable.grouped(low, decimals: 1))–\(TextTable.grouped(high, decimals: 1)) h "
      + "(day \(TextTable.grouped(low / 24, decimals: 1))–\(TextTable.grouped(high / 24, decimals: 1)))"
  }

  /// A pool's GPUs as its row gives them: the schedulable ones, the number the tables give, and
  /// its spares apart ("256 GPUs + 8 spare").
  static func poolGPUs(_ pool: Pool) -> String {
    let gpus = "\(TextTable.grouped(Double(pool.schedulableGPUs), decimals: 0)) GPUs"
    guard pool.spareNodes > 0 else { return gpus }
    return gpus + " + \(TextTable.grouped(Double(pool.totalGPUs - pool.schedulableGPUs), decimals: 0)) spare"
  }

  /// A phase's GPUs on `pool`, with the GPUs of the whole nodes it holds when they differ:
  /// "100 GPUs (104 held)".
  func heldGPUs(phase: Int, pool: Int) -> String {
    let definition = program.phases[phase]
    return ResultReport.gpus(
      definition.gpus, held: definition.heldGPUs(gpusPerNode: program.pools[pool].gpusPerNode),
      unit: " GPUs")
  }

  /// The rows: a pool's header, then its phases.
  var rows: [(label: String, detail: String, phase: Int?, pool: Int, height: Double)] {
    var rows: [(String, String, Int?, Int, Double)] = []
    for (pool, definition) in program.pools.enumerated() {
      let phases = program.phases.indices.filter { outcome.phases[$0].poolIndex == pool }
      guard !phases.isEmpty || timeline.marks.contains(where: { $0.pool == pool }) else { continue }
      rows.append((
        "pool \(definition.name)",
        "\(definition.chip.name), \(Self.poolGPUs(definition))", nil,
        pool, 32))
      for phase in phases {
        let o = outcome.phases[phase]
        rows.append((
          program.phases[phase].name,
          "\(heldGPUs(phase: phase, pool: pool)) · "
            + "\(TextTable.hours(o.wallClockHours)) · \(TextTable.dollars(o.costUSD))",
          phase, pool, 34))
      }
    }
    return rows
  }

  /// The chart as markup; `standalone` for a file of its own (namespace, no page around it).
  func markup(standalone: Bool, id: String = "gantt") -> Markup {
    let rows = rows
    let plotHeight = rows.reduce(0) { $0 + $1.height }
    let key = legend(y: Self.top + plotHeight + 60)
    let height = key.bottom + 16
    let width = Double(options.widthPixels)
    let title =
      "\(program.source): replication \(replication) (seed \(program.simulation.seed)), "
      + "\(TextTable.grouped(outcome.wallClockHours, decimals: 1)) h "
      + "(\(TextTable.grouped(outcome.wallClockHours / 24, decimals: 1)) days), "
      + "\(TextTable.dollars(outcome.costUSD))"
    var parts: [Markup] = [
      SVG.rect(x: 0, y: 0, width: width, height: height, fill: "white"),
      Tags.element("defs", [:], [
        Tags.element("clipPath", ["id": "\(id)-clip"], [
          SVG.rect(x: left, y: Self.top - 2, width: plotWidth, height: plotHeight + 4, fill: "white")
        ])
      ]),
      SVG.text(title, x: 10, y: 22, [("font-size", "15")]),
    ]
    if options.window != nil {
      parts.append(SVG.text(
        "showing \(Self.span(window.lowerBound, window.upperBound))", x: 10, y: 40,
        [("fill", "#555555")]))
    }
    parts.append(SVG.group([("class", "gantt-axis")], axes(plotHeight: plotHeight)))
    var bars: [Markup] = []
    var y = Self.top
    // Each row's slices and marks, sorted out once: filtering the whole timeline row by row made
    // the chart (and `report --html`) quadratic in the phases.
    let slicesByPhase = Dictionary(grouping: timeline.slices, by: \.phase)
    let marksByRow = Dictionary(grouping: timeline.marks) { RowKey(pool: $0.pool, phase: $0.phase) }
    for row in rows {
      parts.append(SVG.text(row.label, x: 10, y: y + 14, row.phase == nil ? [("font-weight", "bold")] : []))
      parts.append(SVG.text(row.detail, x: 10, y: y + 27, [("font-size", "10"), ("fill", "#555555")]))
      if let phase = row.phase { bars += phaseRow(phase, slices: slicesByPhase[phase] ?? [], y: y) }
      bars += marks(
        marksByRow[RowKey(pool: row.pool, phase: row.phase)] ?? [], onPhase: row.phase != nil,
        y: y, height: row.height)
      y += row.height
    }
    parts.append(SVG.group([("clip-path", "url(#\(id)-clip)")], [
      SVG.group([("class", "gantt-zoom")], bars)
    ]))
    parts += key.markup
    return SVG.root(
      width: width, height: height, standalone: standalone, label: title,
      [("class", "gantt"), ("id", id), ("data-left", SVG.n(left)),
       ("data-plot-width", SVG.n(plotWidth)), ("data-top", SVG.n(Self.top)),
       ("data-plot-height", SVG.n(plotHeight)), ("data-start-hours", "\(window.lowerBound)"),
       ("data-end-hours", "\(window.upperBound)")],
      parts)
  }

  public func rendered() -> String { markup(standalone: true).render() + "\n" }

  /// A row of the chart: a pool's (phase nil) or a phase's.
  struct RowKey: Hashable {
    var pool: Int
    var phase: Int?
  }

  /// Phase `phase`'s bar from its timeline `slices`.
  func phaseRow(_ phase: Int, slices: [Timeline.Slice], y: Double) -> [Markup] {
    let o = outcome.phases[phase]
    let name = program.phases[phase].name
    var out: [Markup] = []
    if o.queueWaitHours > 0 {
      out.append(SVG.line(
        x1: x(o.readyHours), y1: y + 14, x2: x(o.startHours), y2: y + 14, stroke: "#999999",
        [("stroke-dasharray", "4 3"), ("vector-effect", "non-scaling-stroke")],
        title: "\(name) queued \(TextTable.hours(o.queueWaitHours)) for its GPUs"))
    }
    out.append(SVG.rect(
      x: x(o.startHours), y: y + 5, width: max(0.5, x(o.endHours) - x(o.startHours)), height: 18,
      fill: "#eeeeee", [("stroke", "#bbbbbb"), ("vector-effect", "non-scaling-stroke")],
      title: "\(name): \(Self.span(o.startHours, o.endHours)), "
        + "\(heldGPUs(phase: phase, pool: o.poolIndex)) on pool "
        + "\(program.pools[o.poolIndex].name), \(TextTable.dollars(o.costUSD)), "
        + (program.pools[o.poolIndex].hasFailureModel
          ? "\(o.interruptions) interruptions, goodput \(String(format: "%.1f%%", 100 * o.goodput))"
          : "no failure model (interruptions not modelled)")))
    let bands = GanttBands(
      slices: slices, startHours: window.lowerBound, endHours: window.upperBound,
      columns: columns)
    let columnWidth = plotWidth / Double(columns)
    // A band is at least one column wide, so a pause shorter than a column still shows.
    func place(_ band: GanttBands.Band) -> (x: Double, width: Double) {
      (left + Double(band.firstColumn) * columnWidth,
       Double(band.endColumn - band.firstColumn) * columnWidth)
    }
    func label(_ band: GanttBands.Band, _ what: String) -> String {
      "\(what): \(TextTable.hours(band.hours)) in "
        + Self.span(bands.hours(atColumn: band.firstColumn), bands.hours(atColumn: band.endColumn))
    }
    let names: [Timeline.Activity: String] = [
      .compute: "compute", .checkpoint: "checkpoint writes", .restart: "restarts",
      .waitForRepair: "waiting for repair", .maintenance: "maintenance",
    ]
    // Pauses (restarts, repair waits, maintenance), in the bar or as marks over it, are drawn at
    // least 1.5 px wide, centred on their columns, so a 10-minute restart in a 56-day chart
    // still shows; compute and checkpoint bands keep their columns' width.
    // The page's script keeps them 1.5 px on screen when it zooms, from their true place
    // (data-x, data-w).
    func widened(_ band: GanttBands.Band) -> (x: Double, width: Double, true: [(String, String)]) {
      let (bx, bw) = place(band)
      guard GanttBands.rare.contains(band.activity), bw < Self.minimumPausePixels else { return (bx, bw, []) }
      return (
        bx + (bw - Self.minimumPausePixels) / 2, Self.minimumPausePixels,
        [("data-x", SVG.n(bx)), ("data-w", SVG.n(bw))]
      )
    }
    // The pauses that took a column go after the rest of the bar, so a neighbour cannot cover
    // their widened edges.
    let main = bands.main.filter { !GanttBands.rare.contains($0.activity) }
      + bands.main.filter { GanttBands.rare.contains($0.activity) }
    // The bar's bands are 16 px tall; pauses over the bar stand a pixel above and below it.
    for (band, top, height) in main.map({ ($0, 6.0, 16.0) }) + bands.pauses.map({ ($0, 5.0, 18.0) }) {
      let (bx, bw, truth) = widened(band)
      out.append(SVG.rect(
        x: bx, y: y + top, width: bw, height: height, fill: Self.colors[band.activity] ?? "#000000",
        [("class", "band-\(band.activity.rawValue)")] + truth, title: label(band, names[band.activity] ?? "")))
    }
    for band in bands.checkpoints {
      let (bx, bw) = place(band)
      out.append(SVG.rect(
        x: bx, y: y + 24, width: bw, height: 5, fill: Self.checkpointDensityColor,
        [("class", "band-checkpoint-density"),
         ("fill-opacity", SVG.n(Double(band.level) / Double(GanttBands.levels)))],
        title: label(band, "checkpoint writes")))
    }
    return out
  }
}
