import Foundation

extension ResultReport {
  /// Long-format CSV: one row per phase (or the total) and metric, with the STAT columns.
  /// Fields are quoted per RFC 4180 when they hold a comma, quote or line break.
  public func csv() -> String {
    var lines = [
      "scope,phase,pool,chip,gpus,metric,mean,p50,p90,p99,min,max,sd,mean_ci95_low,mean_ci95_high"
    ]
    func row(_ prefix: [String], _ metric: String, _ stat: Statistic) {
      let ci = stat.meanCI95
      let numbers = [
        stat.mean, stat.p50, stat.p90, stat.p99, stat.min, stat.max, stat.standardDeviation,
        ci.low, ci.high,
      ].map { "\($0)" }
      lines.append((prefix.map(Self.csvField) + [metric] + numbers).joined(separator: ","))
    }
    func rows<Metric: SummaryMetric>(
      _ prefix: [String], _ statistics: MetricTable<Metric, Statistic>
    ) {
      for (metric, stat) in statistics.entries { row(prefix, metric.key, stat) }
    }
    for (info, summary) in zip(phaseRows, result.phases) {
      rows(["phase", info.name, info.pool, info.chip, "\(info.gpus)"], summary.statistics)
    }
    for (pool, summary) in zip(result.program.pools, result.pools) {
      rows(["pool", "", pool.name, pool.chip.name, "\(pool.schedulableGPUs)"], summary.statistics)
    }
    rows(["total", "", "", "", ""], result.total.statistics)
    return lines.joined(separator: "\n") + "\n"
  }

  static func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return text
    }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// The summary table: means across replications, and the 90th percentile of wall-clock time.
  public func table() -> String {
    let header = [
      "phase", "ran on", "chip", "GPUs", "start h", "end h", "wall-clock h", "days", "p90 h",
      "GPU-hours", "cost USD",
    ]
    var rows: [[String]] = []
    for (index, (info, summary)) in zip(phaseRows, result.phases).enumerated() {
      let ran = ran(phase: index)
      rows.append([
        info.name, ran.pool, ran.chip, Self.gpus(info.gpus, held: info.heldGPUs),
        TextTable.grouped(summary.startHours.mean, decimals: 1),
        TextTable.grouped(summary.endHours.mean, decimals: 1),
        TextTable.hoursCell(summary.wallClockHours.mean),
        TextTable.grouped(summary.wallClockHours.mean / 24, decimals: 1),
        TextTable.hoursCell(summary.wallClockHours.p90),
        TextTable.grouped(summary.gpuHours.mean, decimals: 0),
        TextTable.grouped(summary.costUSD.mean, decimals: 0),
      ])
    }
    let total = result.total
    rows.append([
      "total", "", "", "", "", "",
      TextTable.grouped(total.wallClockHours.mean, decimals: 1),
      TextTable.grouped(total.wallClockHours.mean / 24, decimals: 1),
      TextTable.grouped(total.wallClockHours.p90, decimals: 1),
      TextTable.grouped(total.gpuHours.mean, decimals: 0),
      TextTable.grouped(total.costUSD.mean, decimals: 0),
    ])
    let replications =
      result.replications == 1 ? "1 replication" : "\(result.replications) replications"
    let title =
      "ClusterSim: \(result.program.source) (seed \(result.seed), \(replications); "
      + "means unless marked p90)"
    var body = TextTable(header: header, rows: rows, rightAligned: Set(3..<header.count))
      .rendered(ruleBeforeLastRow: true)
    if phaseRows.contains(where: { $0.gpus != $0.heldGPUs }) { body += "\n" + Self.heldNote + "\n" }
    return title + "\n\n" + body + "\n" + costTable()
      + (result.hasFailures ? "\n" + reliabilityTable() : "")
  }

  /// Failures, checkpoints and restarts per phase (means), with the 95% confidence interval of
  /// the mean wall-clock hours and cost.
  func reliabilityTable() -> String {
    let header = [
      "phase", "interruptions", "lost h", "checkpoint h", "restart h", "repair wait h", "goodput",
      "interval h", "wall-clock h 95% CI", "cost USD 95% CI",
    ]
    func range(_ stat: Statistic, decimals: Int) -> String {
      let ci = stat.meanCI95
      return TextTable.grouped(ci.low, decimals: decimals) + " – "
        + TextTable.grouped(ci.high, decimals: decimals)
    }
    var rows: [[String]] = []
    for (index, (info, summary)) in zip(phaseRows, result.phases).enumerated() {
      let unmodelled = result.unmodelled(phase: index)
      func failed(_ value: Double) -> String {
        unmodelled ? "-" : TextTable.grouped(value, decimals: 1)
      }
      var interrupted =
        unmodelled
        ? "not modelled" : TextTable.grouped(summary.interruptions.mean, decimals: 1)
      if summary.plannedInterruptions.max > 0 {
        interrupted +=
          " + \(TextTable.grouped(summary.plannedInterruptions.mean, decimals: 1)) planned"
      }
      let interval =
        info.interval.map {
          TextTable.grouped($0, decimals: 2) + (info.intervalIsAuto ? " (auto)" : "")
        }
        ?? "none"
      rows.append([
        info.name, interrupted, failed(summary.lostWorkHours.mean),
        TextTable.grouped(summary.checkpointHours.mean, decimals: 1),
        failed(summary.restartHours.mean), failed(summary.waitForRepairHours.mean),
        String(format: "%.3f", summary.goodput.mean), interval,
        range(summary.wallClockHours, decimals: 1), range(summary.costUSD, decimals: 0),
      ])
    }
    rows.append([
      "total", "", "", "", "", "", "", "", range(result.total.wallClockHours, decimals: 1),
      range(result.total.costUSD, decimals: 0),
    ])
    return "Failures and checkpoints (means; 95% confidence intervals of the mean):\n\n"
      + TextTable(header: header, rows: rows, rightAligned: Set(1..<header.count))
      .rendered(ruleBeforeLastRow: true) + (result.unmodelledNote.map { "\n" + $0 + "\n" } ?? "")
  }

  /// Where the money went (means, US dollars): per phase by cause, then each pool's idle time and
  /// utilisation.
  func costTable() -> String {
    let header = ["phase"] + CostCause.allCases.map(\.title) + ["total", "queue h"]
    func usd(_ value: Double) -> String { TextTable.grouped(value, decimals: 0) }
    var rows: [[String]] = []
    for (info, summary) in zip(phaseRows, result.phases) {
      let causes = CostCause.allCases.map { $0.isHeld ? usd(summary[.costUSDBy($0)].mean) : "" }
      rows.append(
        [info.name] + causes + [
          usd(summary.costUSD.mean), TextTable.grouped(summary.queueWaitHours.mean, decimals: 1),
        ])
    }
    for (pool, summary) in zip(result.program.pools, result.pools) where pool.cost.billsIdle {
      let idle = usd(summary.idleCostUSD.mean)
      let causes = CostCause.allCases.map { $0 == .idle ? idle : "" }
      rows.append(["pool \(pool.name) idle"] + causes + [idle, ""])
    }
    rows.append(
      ["total"] + CostCause.allCases.map { usd(result.total[.costUSDBy($0)].mean) } + [
        usd(result.total.costUSD.mean), "",
      ])
    let pools = zip(result.program.pools, result.pools).map { pool, summary in
      "\(pool.name) \(pool.cost.name) \(String(format: "%.1f%%", 100 * summary.utilization.mean))"
    }
    return
      "Where the money went (means, USD); pool utilisation: \(pools.joined(separator: ", ")):\n\n"
      + TextTable(header: header, rows: rows, rightAligned: Set(1..<header.count))
      .rendered(ruleBeforeLastRow: true)
  }
}
