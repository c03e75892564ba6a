import Foundation

/// Renders a sweep as a table, CSV or JSON (`docs/sweeps.md`): one row per point, the fastest,
/// the cheapest and the Pareto-optimal points marked, infeasible points with their reason.
public struct SweepReport: Sendable {
  public enum Format: String, CaseIterable, Sendable { case table, csv, json }

  /// The JSON schema identifier; keys may be added under it, never renamed.
  public static let schema = "clustersim.sweep/1"

  public let result: SweepResult
  /// "fastest", "cheapest", "pareto" of each point.
  let marks: [[String]]

  public init(_ result: SweepResult) {
    self.result = result
    let pareto = Set(result.pareto)
    marks = result.points.indices.map { index in
      (result.fastest == index ? ["fastest"] : []) + (result.cheapest == index ? ["cheapest"] : [])
        + (pareto.contains(index) ? ["pareto"] : [])
    }
  }

  public func render(_ format: Format) -> String {
    switch format {
    case .table: table()
    case .csv: csv()
    case .json: json().rendered() + "\n"
    }
  }

  func keyCells(_ point: Sweep.Point) -> [String] {
    (point.gpus.map { [TextTable.grouped(Double($0), decimals: 0)] } ?? []) + point.values
  }

  public func table() -> String {
    let keys = (result.points.first?.point.gpus != nil ? ["GPUs"] : []) + result.axes
    let header =
      ["#"] + keys + [
        "wall-clock h", "p10 h", "p90 h", "GPU-hours", "cost USD", "cost 95% CI", "goodput",
        "interruptions", "MFU", "layout", "",
      ]
    func g(_ x: Double, _ d: Int = 0) -> String { TextTable.grouped(x, decimals: d) }
    var rows: [[String]] = []
    var notes: [String] = []
    for (index, item) in result.points.enumerated() {
      var row = [String(index + 1)] + keyCells(item.point)
      switch item.outcome {
      case .feasible(let m):
        let ci = m.costUSD.meanCI95
        row += [
          g(m.wallClockHours.mean, 1), g(m.wallClockHours.p10, 1), g(m.wallClockHours.p90, 1),
          g(m.gpuHours.mean), g(m.costUSD.mean), "\(g(ci.low)) – \(g(ci.high))",
          m.goodput.map { String(format: "%.3f", $0) } ?? "-",
          m.interruptions.map { g($0, 1) } ?? (m.failuresModelled == false ? "not modelled" : "-"),
          m.mfu.map { String(format: "%.1f%%", 100 * $0) } ?? "-", m.layout ?? "-",
          marks[index].joined(separator: ", "),
        ]
      case .infeasible(let reason):
        row += Array(repeating: "-", count: 10) + ["infeasible"]
        notes.append("#\(index + 1) infeasible: \(reason)")
      }
      notes += item.notes.map { "#\(index + 1): \($0)" }
      rows.append(row)
    }
    let scope = result.phase.map { "phase \($0)" } ?? "the whole program"
    let replications = result.points.compactMap(\.measures).first?.replications
    var text =
      "ClusterSim sweep: \(result.file), \(scope); \(result.points.count) points"
      + (replications.map { ", \($0) replications each" } ?? "") + "; means unless marked\n\n"
    let right = Set(0..<(1 + keys.count + 8))
    text += TextTable(header: header, rows: rows, rightAligned: right).rendered(ruleBeforeLastRow: false)
    if result.points.contains(where: { $0.measures?.failuresModelled == false }) {
      notes.append(
        "not modelled: no pool the phase may run on has a failure model (no failures: block), "
          + "so nothing interrupts it there")
    }
    if !notes.isEmpty { text += "\n" + notes.joined(separator: "\n") + "\n" }
    return text
  }

  public func csv() -> String {
    let keys = (result.points.first?.point.gpus != nil ? ["gpus"] : []) + result.axes
    var lines = [
      (["point"] + keys + [
        "wall_clock_hours_mean", "wall_clock_hours_p10", "wall_clock_hours_p50",
        "wall_clock_hours_p90", "wall_clock_hours_ci95_low", "wall_clock_hours_ci95_high",
        "gpu_hours_mean", "cost_usd_mean", "cost_usd_p10", "cost_usd_p90", "cost_usd_ci95_low",
        "cost_usd_ci95_high", "goodput", "interruptions", "mfu", "layout", "marks", "infeasible",
      ]).joined(separator: ",")
    ]
    func n(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
    let quoted = ResultReport.csvField
    for (index, item) in result.points.enumerated() {
      var cells = [String(index + 1)] + (item.point.gpus.map { [String($0)] } ?? []) + item.point.values.map(quoted)
      if let m = item.measures {
        let w = m.wallClockHours.meanCI95
        let c = m.costUSD.meanCI95
        cells += [
          n(m.wallClockHours.mean), n(m.wallClockHours.p10), n(m.wallClockHours.p50),
          n(m.wallClockHours.p90), n(w.low), n(w.high), n(m.gpuHours.mean), n(m.costUSD.mean),
          n(m.costUSD.p10), n(m.costUSD.p90), n(c.low), n(c.high), n(m.goodput),
          n(m.interruptions), n(m.mfu), quoted(m.layout ?? ""),
          marks[index].joined(separator: " "), "",
        ]
      } else if case .infeasible(let reason) = item.outcome {
        cells += Array(repeating: "", count: 17) + [quoted(reason)]
      }
      lines.append(cells.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The STAT object of docs/output.md with the 10th percentile added.
  func sweepJSON(_ stat: Statistic) -> JSONValue {
    guard case .object(let fields) = stat.json else { return stat.json }
    return .object([fields[0], ("p10", .number(stat.p10))] + fields.dropFirst())
  }

  public func json() -> JSONValue {
    let points = result.points.enumerated().map { index, item -> JSONValue in
      var fields: [(String, JSONValue)] = [("point", .integer(Int64(index + 1)))]
      if let gpus = item.point.gpus { fields.append(("gpus", .integer(Int64(gpus)))) }
      fields.append(
        ("set", .object(zip(result.axes, item.point.values).map { ($0, .string($1)) })))
      fields.append(("notes", .array(item.notes.map(JSONValue.string))))
      switch item.outcome {
      case .feasible(let m):
        fields += [
          ("feasible", .bool(true)),
          ("wall_clock_hours", sweepJSON(m.wallClockHours)),
          ("gpu_hours", sweepJSON(m.gpuHours)),
          ("cost_usd", sweepJSON(m.costUSD)),
          ("goodput", m.goodput.map(JSONValue.number) ?? .null),
          ("interruptions", m.interruptions.map(JSONValue.number) ?? .null),
          ("mfu", m.mfu.map(JSONValue.number) ?? .null),
          ("layout", m.layout.map(JSONValue.string) ?? .null),
          ("marks", .array(marks[index].map(JSONValue.string))),
        ]
        if let modelled = m.failuresModelled { fields.append(("failure_model", .bool(modelled))) }
      case .infeasible(let reason):
        fields += [("feasible", .bool(false)), ("reason", .string(reason))]
      }
      return .object(fields)
    }
    return .object([
      ("schema", .string(Self.schema)), ("config", .string(result.file)),
      ("phase", result.phase.map(JSONValue.string) ?? .null),
      ("axes", .array(result.axes.map(JSONValue.string))),
      ("fastest", result.fastest.map { .integer(Int64($0 + 1)) } ?? .null),
      ("cheapest", result.cheapest.map { .integer(Int64($0 + 1)) } ?? .null),
      ("pareto", .array(result.pareto.map { .integer(Int64($0 + 1)) })),
      ("points", .array(points)),
    ])
  }
}
