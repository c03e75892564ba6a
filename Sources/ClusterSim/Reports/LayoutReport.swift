import Foundation

/// `clustersim explain --phase NAME --layouts N`: the fastest layouts that fit for one phase on
/// each of its pools, with the rest counted by the reason they were rejected.
public struct LayoutReport: Sendable {
  /// The JSON schema identifier; keys may be added under it, never renamed.
  public static let schema = "clustersim.layouts/1"

  /// One pool's search.
  public struct PoolSearch: Sendable {
    public var pool: Pool
    public var gpus: Int
    public var result: LayoutSearch.Result
    /// The layout the config gives (or the planner chose), for comparison.
    public var configured: PhasePlan.TrainedStep?
    /// Why the config's own layout cannot run, when it cannot.
    public var configError: String?
  }

  public let source: String
  public let phase: Phase
  public let searches: [PoolSearch]

  /// Searches every layout of phase `name` on each of its pools (every key searched, whatever the
  /// config fixes), keeping the `keep` fastest. `plan` may have no rows (a config loaded without
  /// planning because its own layout cannot run); `configError` then says why.
  ///
  /// - Throws: `ConfigError` when no phase has that name or the phase is not described by its
  ///   model.
  public init(_ plan: ProgramPlan, phase name: String, keep: Int, configError: String? = nil)
    throws(ConfigError)
  {
    let program = plan.program
    source = program.source
    guard let index = program.phases.firstIndex(where: { $0.name == name }) else {
      let names = program.phases.map(\.name)
      throw Self.error(
        program,
        "no phase named \"\(name)\"\(Suggestion.didYouMean(name, in: names)) "
          + "(phases: \(names.joined(separator: ", ")))")
    }
    phase = program.phases[index]
    var spec: TrainingSpec
    switch phase.work {
    case .training(let given):
      spec = given
    case .rl(let rl):
      // An RL phase's policy update, at the longest mean length it is planned at.
      spec = rl.training(seqLen: RolloutPlanner.packed(rl.promptTokens + rl.meanLength.maximum))
    default:
      throw Self.error(
        program,
        "phase \"\(name)\" gives its work as \(ExplainReport.workKind(phase.work)); only a "
          + "phase described by its model (layers, hidden, ...) has layouts to search")
    }
    spec.layout = spec.layout.searchingEveryKey
    let phase = phase
    let planned = plan.phases.indices.contains(index) ? plan.phases[index] : []
    searches = phase.poolIndices.enumerated().map { slot, poolIndex in
      let pool = program.pools[poolIndex]
      let search = LayoutSearch(
        spec: spec, precision: phase.precision, chip: pool.chip, gpusPerNode: pool.gpusPerNode,
        gpus: phase.gpus)
      return PoolSearch(
        pool: pool, gpus: phase.gpus, result: search.run(keep: keep),
        configured: planned.indices.contains(slot) ? planned[slot].training : nil,
        configError: planned.isEmpty ? configError : nil)
    }
  }

  static func error(_ program: Program, _ message: String) -> ConfigError {
    ConfigError(issues: [
      ConfigIssue(
        file: program.source, line: 1, column: 1, keyPath: "phases", message: message)
    ])
  }

  public func render(_ format: ExplainReport.Format) -> String {
    switch format {
    case .table: table()
    case .json: json().rendered() + "\n"
    }
  }

  /// Exposed communication of a step: TP, CP, pipeline sends, EP and DP on the critical path.
  static func exposedCommunicationSeconds(_ b: StepBreakdown) -> Double {
    b.tensorParallelSeconds + b.contextParallel.exposedSeconds + b.pipelineSeconds
      + b.expertParallel.exposedSeconds + b.dataParallel.exposedSeconds
  }

  /// One block per pool: the ranked layouts, then what was rejected and why.
  public func table() -> String {
    var blocks: [String] = []
    for search in searches {
      let gpus = TextTable.grouped(Double(search.gpus), decimals: 0)
      var text =
        "phase \(phase.name): \(gpus) × \(search.pool.chip.name) (pool \(search.pool.name)), "
        + "\(TextTable.grouped(Double(search.result.searched), decimals: 0)) layouts searched\n"
      let rows = search.result.ranked.enumerated().map { rank, candidate -> [String] in
        let e = candidate.estimate
        return [
          "\(rank + 1)", LayoutText.short(candidate.layout, microbatch: e.microbatch),
          String(format: "%.3f", e.stepSeconds), String(format: "%.1f%%", 100 * e.mfu),
          String(format: "%.1f", e.memory.totalBytes / 1e9),
          String(format: "%.3f", Self.exposedCommunicationSeconds(e.breakdown)),
          candidate.outside.joined(separator: ", "),
        ]
      }
      if rows.isEmpty {
        text += "  no layout fits\n"
      } else {
        let table = TextTable(
          header: [
            "#", "layout", "step s", "MFU", "GB/GPU", "exposed comm s", "outside calibration",
          ], rows: rows,
          rightAligned: [0, 2, 3, 4, 5])
        text +=
          table.rendered(ruleBeforeLastRow: false).split(separator: "\n").map { "  " + $0 }
          .joined(separator: "\n") + "\n"
      }
      if let configured = search.configured {
        let e = configured.estimate
        text +=
          "  config: \(LayoutText.short(configured.job.layout, microbatch: e.microbatch)), "
          + "\(String(format: "%.3f", e.stepSeconds)) s per step\n"
      } else if let configError = search.configError {
        text += "  config: does not load: \(configError)\n"
      }
      let summary = search.result.rejectionSummary
      text += "  rejected: \(summary.isEmpty ? "none" : summary)\n"
      blocks.append(text)
    }
    return blocks.joined(separator: "\n")
  }

  /// The `clustersim.layouts/1` document (docs/output.md).
  public func json() -> JSONValue {
    func layoutJSON(_ candidate: LayoutSearch.Candidate, rank: Int) -> JSONValue {
      let l = candidate.layout
      let e = candidate.estimate
      return .object([
        ("rank", .integer(Int64(rank))), ("tp", .integer(Int64(l.tensor))),
        ("pp", .integer(Int64(l.pipeline))), ("cp", .integer(Int64(l.context))),
        ("dp", .integer(Int64(l.data))), ("ep", .integer(Int64(l.expert))),
        ("schedule", .string(l.schedule.rawValue)),
        ("virtual_stages", .integer(Int64(l.virtualStages))), ("zero", .integer(Int64(l.zero))),
        ("recompute", .string(l.recompute.name)),
        ("sequence_parallel", .bool(l.sequenceParallel)),
        ("uneven_pipeline", .bool(l.unevenPipeline)),
        ("microbatch", .integer(Int64(e.microbatch))), ("step_seconds", .number(e.stepSeconds)),
        ("mfu", .number(e.mfu)), ("memory_gb", .number(e.memory.totalBytes / 1e9)),
        ("exposed_communication_seconds", .number(Self.exposedCommunicationSeconds(e.breakdown))),
        ("outside_calibration", .array(candidate.outside.map(JSONValue.string))),
      ])
    }
    let pools = searches.map { search -> JSONValue in
      .object([
        ("pool", .string(search.pool.name)), ("chip", .string(search.pool.chip.name)),
        ("gpus", .integer(Int64(search.gpus))),
        ("searched", .integer(Int64(search.result.searched))),
        (
          "rejected",
          .object(
            LayoutSearch.Rejection.allCases.compactMap { reason in
              search.result.rejected[reason].map { (reason.rawValue, .integer(Int64($0))) }
            })
        ),
        (
          "layouts",
          .array(search.result.ranked.enumerated().map { layoutJSON($1, rank: $0 + 1) })
        ),
      ])
    }
    return .object([
      ("schema", .string(Self.schema)), ("config", .string(source)),
      ("phase", .string(phase.name)), ("pools", .array(pools)),
    ])
  }
}
