import Foundation

extension SweepPart {
  /// Checks every field against what `clustersim sweep --shard` can write: this version's schema
  /// and version, shard numbers within `SweepShard.maximumCount`, a grid of at most
  /// `SweepAxis.maximumPoints` points with one value per axis, assignments and finished points
  /// inside the grid, each result's point the grid's, figures finite and in range, and text
  /// without control characters (a part is a file anyone may have edited; nothing read from it
  /// reaches a terminal or an allocation unchecked). Throws naming `path` and the field.
  public func validate(path: String) throws(SweepError) {
    func fail(_ field: String, _ message: String) -> SweepError {
      SweepError(
        flag: path, "\(field): \(message) (not as clustersim sweep --shard writes it: edited?)")
    }
    try Self.checkText(origin.schema, "origin.schema", fail)
    guard origin.schema == SweepPart.schema else {
      throw fail(
        "origin.schema", "\(ConfigValue.quoted(origin.schema)), expected \(SweepPart.schema)")
    }
    try Self.checkText(origin.version, "origin.version", fail)
    guard origin.version == ClusterSimVersion.current else {
      throw SweepError(
        flag: path,
        "origin.version: written by ClusterSim \(ConfigValue.excerpt(origin.version)), this is "
          + "\(ClusterSimVersion.current); merge parts with the version that computed them, or run the shard again"
      )
    }
    try Self.checkText(origin.config, "origin.config", fail)
    try Self.checkText(origin.configDigest, "origin.configDigest", fail)
    guard (1...SweepShard.maximumCount).contains(origin.shards) else {
      throw fail("origin.shards", "\(origin.shards); must be 1 to \(SweepShard.maximumCount)")
    }
    guard (0..<origin.shards).contains(shard) else {
      throw fail("shard", "\(shard); must be 0 to \(origin.shards - 1) for \(origin.shards) shards")
    }
    if let replications = origin.replications {
      guard (1...SimulationSettings.maximumReplications).contains(replications) else {
        throw fail(
          "origin.replications",
          "\(replications); must be 1 to \(SimulationSettings.maximumReplications)")
      }
    }
    if let phase = origin.phase { try Self.checkText(phase, "origin.phase", fail) }
    guard origin.axes.count <= SweepAxis.maximumPoints else {
      throw fail("origin.axes", "\(origin.axes.count) axes")
    }
    for (index, axis) in origin.axes.enumerated() {
      try Self.checkText(axis, "origin.axes[\(index)]", fail, limit: ConfigPath.maximumCharacters)
    }
    try validateGrid(fail)
    try validatePoints(fail)
  }

  private func validateGrid(_ fail: (String, String) -> SweepError) throws(SweepError) {
    guard (1...SweepAxis.maximumPoints).contains(origin.grid.count) else {
      throw fail(
        "origin.grid", "\(origin.grid.count) points; a sweep has 1 to \(SweepAxis.maximumPoints)")
    }
    let sized = origin.phase != nil && origin.grid[0].gpus != nil
    for (index, point) in origin.grid.enumerated() {
      let field = "origin.grid[\(index)]"
      guard point.values.count == origin.axes.count else {
        throw fail("\(field).values", "\(point.values.count) values for \(origin.axes.count) axes")
      }
      guard (point.gpus != nil) == sized else {
        throw fail(
          "\(field).gpus",
          point.gpus == nil ? "missing" : "given without a phase or on some points only")
      }
      if let gpus = point.gpus, !(1...SweepAxis.maximumGPUs).contains(gpus) {
        throw fail("\(field).gpus", "\(gpus); must be 1 to \(SweepAxis.maximumGPUs)")
      }
      for (position, value) in point.values.enumerated() {
        try Self.checkText(value, "\(field).values[\(position)]", fail)
      }
    }
    guard origin.grid.count == Set(origin.grid).count else {
      throw fail("origin.grid", "a point is listed twice")
    }
    guard assigned.count <= origin.grid.count,
      zip(assigned, assigned.dropFirst()).allSatisfy({ $0 < $1 }),
      assigned.allSatisfy(origin.grid.indices.contains)
    else {
      throw fail("assigned", "not increasing grid positions 0 to \(origin.grid.count - 1)")
    }
  }

  private func validatePoints(_ fail: (String, String) -> SweepError) throws(SweepError) {
    let assignedSet = Set(assigned)
    var previous = -1
    for (position, entry) in points.enumerated() {
      let field = "points[\(position)]"
      guard entry.index > previous, assignedSet.contains(entry.index) else {
        throw fail("\(field).index", "\(entry.index) is not the next point this shard was assigned")
      }
      previous = entry.index
      guard entry.result.point == origin.grid[entry.index] else {
        throw fail("\(field).result.point", "differs from point \(entry.index + 1) of the grid")
      }
      for (number, note) in entry.result.notes.enumerated() {
        try Self.checkText(note, "\(field).result.notes[\(number)]", fail)
      }
      switch entry.result.outcome {
      case .infeasible(let reason):
        try Self.checkText(reason, "\(field).result.outcome", fail)
      case .feasible(let measures):
        try validate(measures, field: "\(field).result.outcome", fail)
      }
    }
  }

  private func validate(
    _ measures: SweepResult.Measures, field: String, _ fail: (String, String) -> SweepError
  ) throws(SweepError) {
    guard (1...SimulationSettings.maximumReplications).contains(measures.replications),
      origin.replications.map({ $0 == measures.replications }) ?? true
    else {
      throw fail("\(field).replications", "\(measures.replications), not the sweep's")
    }
    let statistics = [
      ("wallClockHours", measures.wallClockHours), ("gpuHours", measures.gpuHours),
      ("costUSD", measures.costUSD),
    ]
    for (name, statistic) in statistics {
      let numbers = [
        statistic.mean, statistic.p10, statistic.p50, statistic.p90, statistic.p99, statistic.min,
        statistic.max, statistic.standardDeviation,
      ]
      guard numbers.allSatisfy({ (0...Self.maximumFigure).contains($0) }),
        statistic.count == measures.replications
      else {
        throw fail(
          "\(field).\(name)",
          "figures must be 0 to \(Self.maximumFigure), over the point's replications")
      }
    }
    let fractions = [("goodput", measures.goodput), ("mfu", measures.mfu)]
    for case (let name, let value?) in fractions where !(value.isFinite && (0...1).contains(value))
    {
      throw fail("\(field).\(name)", "\(value); must be 0 to 1")
    }
    if let interruptions = measures.interruptions, !(0...Self.maximumFigure).contains(interruptions)
    {
      throw fail("\(field).interruptions", "\(interruptions); must be 0 to \(Self.maximumFigure)")
    }
    if let layout = measures.layout { try Self.checkText(layout, "\(field).layout", fail) }
  }

  /// The largest figure a point can have: hours, GPU-hours and dollars of the largest config
  /// (10^8 GPUs at $1,000 an hour for 10^6 hours is 10^17) stay below it, and every formatter
  /// writes it exactly.
  static let maximumFigure = 1e18

  /// Refuses text with a control or line-separator character, or longer than `limit`.
  private static func checkText(
    _ text: String, _ field: String, _ fail: (String, String) -> SweepError, limit: Int = 10_000
  ) throws(SweepError) {
    if let control = ConfigValue.controlCharacter(in: text, separators: true) {
      throw fail(field, "holds a control character (\(control))")
    }
    guard text.count <= limit else { throw fail(field, "longer than \(limit) characters") }
  }
}
