import Foundation

/// Renders a `SimulationResult` as a table, JSON or CSV.
public struct ResultReport: Sendable {
  /// The output formats of `clustersim simulate`.
  public enum Format: String, CaseIterable, Sendable {
    case table, json, csv
  }

  /// The JSON schema identifier; keys may be added under it, never renamed.
  public static let schema = "clustersim.result/1"

  public let result: SimulationResult

  /// Name, pool and chip of each phase, its GPUs and the GPUs of the whole nodes it holds (and
  /// is billed for) on the pool it ran on most, with its checkpoint interval, in config order:
  /// worked out once here, since the table, the JSON and the HTML sections read it phase by
  /// phase (a computed list read per phase made `report --html` quadratic in the phases).
  let phaseRows:
    [(
      name: String, pool: String, chip: String, gpus: Int, heldGPUs: Int, interval: Double?,
      intervalIsAuto: Bool
    )]

  public init(_ result: SimulationResult) {
    self.result = result
    self.phaseRows = Self.phaseRows(result)
  }

  /// The report in `format`, ending with a newline.
  public func render(_ format: Format) -> String {
    switch format {
    case .table: table()
    case .json: json().rendered() + "\n"
    case .csv: csv()
    }
  }

  /// The rows of `phaseRows`.
  static func phaseRows(_ result: SimulationResult)
    -> [(
      name: String, pool: String, chip: String, gpus: Int, heldGPUs: Int, interval: Double?,
      intervalIsAuto: Bool
    )]
  {
    let program = result.program
    return program.phases.enumerated().map { index, phase in
      let allowed = phase.poolIndices.map { program.pools[$0] }
      // An `auto` interval differs from pool to pool: the one of the pool the phase ran on most
      // (the first allowed on a tie).
      let runs = result.phases[index].runsByPool
      let slots = result.plan.phases[index]
      let most = slots.indices.max { a, b in
        let (ra, rb) = (runs[slots[a].pool], runs[slots[b].pool])
        return ra != rb ? ra < rb : a > b
      }
      let checkpoint = slots[most ?? 0].checkpoint
      let held = phase.heldGPUs(gpusPerNode: program.pools[slots[most ?? 0].pool].gpusPerNode)
      return (
        phase.name, allowed.map(\.name).joined(separator: "|"),
        Array(Set(allowed.map(\.chip.name))).sorted().joined(separator: "|"), phase.gpus, held,
        checkpoint.intervalHours, checkpoint.intervalIsAuto
      )
    }
  }

  /// A phase's GPUs as the tables give them: its GPUs, and the GPUs of the whole nodes it holds
  /// and is billed for when they differ ("100 (104 held)"; with `unit` " GPUs", "100 GPUs (104
  /// held)").
  public static func gpus(_ gpus: Int, held: Int, unit: String = "") -> String {
    let asked = TextTable.grouped(Double(gpus), decimals: 0) + unit
    return held == gpus ? asked : "\(asked) (\(TextTable.grouped(Double(held), decimals: 0)) held)"
  }

  /// The line under a table whose phases hold partial nodes, saying what the held GPUs are.
  static let heldNote =
    "GPUs (N held): a phase holds whole nodes, ⌈gpus / gpus_per_node⌉ of its pool, and its "
    + "GPU-hours and cost count every GPU of them."
}

extension ResultReport {
  /// Where phase `index` ran: its pool when every replication ran it on one, else each pool that
  /// ran it with its share of the replications ("h100 62%, a100 38%", most first); and the
  /// chips of those pools.
  func ran(phase index: Int) -> (pool: String, chip: String) {
    let program = result.program
    let runs = result.phases[index].runsByPool
    let total = runs.reduce(0, +)
    let used = program.phases[index].poolIndices.filter { runs[$0] > 0 }
      .sorted { runs[$0] != runs[$1] ? runs[$0] > runs[$1] : $0 < $1 }
    guard total > 0, !used.isEmpty else { return (phaseRows[index].pool, phaseRows[index].chip) }
    let chips = used.map { program.pools[$0].chip.name }.reduce(into: [String]()) {
      if !$0.contains($1) { $0.append($1) }
    }
    if used.count == 1 { return (program.pools[used[0]].name, chips.joined(separator: ", ")) }
    let pools = used.map {
      "\(program.pools[$0].name) \(String(format: "%.0f", 100 * Double(runs[$0]) / Double(total)))%"
    }
    return (pools.joined(separator: ", "), chips.joined(separator: ", "))
  }
}

extension Statistic {
  /// `{"mean", "p50", "p90", "p99", "min", "max", "sd", "mean_ci95"}`, the STAT object of
  /// docs/output.md.
  var json: JSONValue {
    let ci = meanCI95
    return .object([
      ("mean", .number(mean)), ("p50", .number(p50)), ("p90", .number(p90)),
      ("p99", .number(p99)), ("min", .number(min)), ("max", .number(max)),
      ("sd", .number(standardDeviation)),
      ("mean_ci95", .array([.number(ci.low), .number(ci.high)])),
    ])
  }
}

extension ResultReport {
  /// The `clustersim.result/1` document.
  public func json() -> JSONValue {
    let phases = zip(phaseRows, result.phases).enumerated().map { index, pair in
      let (row, summary) = pair
      // The checkpoint interval, a config figure, stands before `queue_wait_hours`: keys are only
      // ever added to the schema, never moved.
      let interval: [(String, JSONValue)] = [
        ("checkpoint_interval_hours", row.interval.map(JSONValue.number) ?? .null),
        ("checkpoint_interval_auto", .bool(row.intervalIsAuto)),
      ]
      let runsByPool = zip(result.program.pools, summary.runsByPool).filter { $0.1 > 0 }.map {
        ($0.0.name, JSONValue.integer(Int64($0.1)))
      }
      let definition = result.program.phases[index]
      let held = definition.poolIndices.map { pool in
        let pool = result.program.pools[pool]
        return (pool.name, JSONValue.integer(Int64(definition.heldGPUs(gpusPerNode: pool.gpusPerNode))))
      }
      return JSONValue.object(
        [
          ("name", .string(row.name)), ("pool", .string(row.pool)), ("chip", .string(row.chip)),
          ("gpus", .integer(Int64(row.gpus))),
        ] + Self.fields(summary.statistics, inserting: interval, before: .queueWaitHours)
          + [("runs_by_pool", .object(runsByPool)), ("held_gpus_by_pool", .object(held))])
    }
    let pools = zip(result.program.pools, result.pools).map { pool, summary in
      JSONValue.object(
        [
          ("name", .string(pool.name)), ("chip", .string(pool.chip.name)),
          ("cost_model", .string(pool.cost.name)),
          ("held_usd_per_gpu_hour", .number(pool.cost.heldUSDPerGPUHour(pool: pool))),
          ("idle_usd_per_gpu_hour", .number(pool.cost.idleUSDPerGPUHour(pool: pool))),
        ] + Self.fields(summary.statistics) + [("failure_model", .bool(pool.hasFailureModel))])
    }
    return .object([
      ("schema", .string(Self.schema)),
      ("config", .string(result.program.source)),
      ("seed", .unsigned(result.seed)),
      ("replications", .integer(Int64(result.replications))),
      ("policy", .string(result.program.policy.rawValue)),
      ("phases", .array(phases)),
      ("pools", .array(pools)),
      ("total", .object(Self.fields(result.total.statistics))),
    ])
  }

  /// Each metric's STAT under its key, in order, with the dollars by cause together last under
  /// `cost_usd_by_cause` (`{"compute": STAT, ...}`); `extra` goes in before metric `anchor`.
  static func fields<Metric: SummaryMetric>(
    _ statistics: MetricTable<Metric, Statistic>, inserting extra: [(String, JSONValue)] = [],
    before anchor: Metric? = nil
  ) -> [(String, JSONValue)] {
    var fields: [(String, JSONValue)] = []
    var causes: [(String, JSONValue)] = []
    for (metric, statistic) in statistics.entries {
      if let cause = metric.cause {
        causes.append((cause.key, statistic.json))
        continue
      }
      if metric == anchor { fields += extra }
      fields.append((metric.key, statistic.json))
    }
    return causes.isEmpty ? fields : fields + [("cost_usd_by_cause", .object(causes))]
  }
}
