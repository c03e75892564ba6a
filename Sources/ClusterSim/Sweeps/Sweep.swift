import ParallelCore
import Yams

/// A grid of variations of one config, each point re-planned (layout, hours, nodes, checkpoint
/// interval) and simulated (`docs/sweeps.md`).
///
/// The point's values are written into the config document and the document is read again, so
/// every check of the loader applies at every point: a point that cannot be planned is listed
/// with the reason, never dropped.
public struct Sweep {
  public var root: Node
  public var file: String
  /// The phase whose GPUs `gpus` sets and whose figures the points report (nil: the program's
  /// totals, and `gpus` must be nil).
  public var phase: String?
  public var gpus: [Int]?
  public var axes: [SweepAxis]
  /// Replications a point runs when the caller gives none: the config's.
  public private(set) var configReplications = SimulationSettings().replications

  /// One point of the grid: the GPUs and one value of every axis, in axis order.
  public struct Point: Sendable, Hashable, Codable {
    public var gpus: Int?
    public var values: [String]
  }

  /// Checks the request against the config: the phase exists, and every `--set` value can be
  /// written and read (an unknown key or a malformed value is an error naming its flag).
  public init(root: Node, file: String, phase: String?, gpus: [Int]?, axes: [SweepAxis])
    throws(SweepError)
  {
    self.root = root
    self.file = file
    self.phase = phase
    self.gpus = gpus
    self.axes = axes
    // From the sizes alone, before any point is built or any value read.
    pointCount = try SweepAxis.pointCount(gpus: gpus?.count, axes: axes)
    let base: Program
    do {
      base = try ConfigLoader.parsePlan(root: root, file: file, planning: false).program
    } catch {
      throw SweepError(config: error)
    }
    configReplications = base.simulation.replications
    let names = base.phases.map(\.name)
    if let phase, !names.contains(phase) {
      throw SweepError(
        flag: "--phase",
        "no phase named \(ConfigValue.quoted(phase))\(Suggestion.didYouMean(phase, in: names)) "
          + "(phases: \(names.joined(separator: ", ")))")
    }
    if gpus != nil, phase == nil {
      throw SweepError(
        flag: "--gpus", "needs --phase to name the phase it sizes (phases: \(names.joined(separator: ", ")))")
    }
    try Self.checkDistinct(axes, phase: gpus == nil ? nil : phase, phases: names)
    for axis in axes {
      for value in axis.values {
        let flag = axis.flag(in: axes)
        let edited = try axis.path.setting(value, in: root, flag: flag)
        do {
          _ = try ConfigLoader.parsePlan(root: edited, file: file, planning: false)
        } catch {
          throw SweepError(flag: flag, "\(ConfigValue.excerpt(value)): " + Self.reason(error))
        }
      }
    }
  }

  /// Refuses a key swept twice (the later value would silently win at every point) and a
  /// `--set` of the GPUs `--gpus` sets. Paths are compared as written, positions and names apart.
  static func checkDistinct(_ axes: [SweepAxis], phase: String?, phases: [String])
    throws(SweepError)
  {
    var seen: [ConfigPath: String] = [:]
    for axis in axes {
      let flag = axis.flag(in: axes)
      if let other = seen[axis.path] {
        throw SweepError(
          flag: flag,
          "the key of \(ConfigValue.excerpt(other, limit: 60)) again: give each key's values once")
      }
      seen[axis.path] = axis.key
      if let phase, let position = phases.firstIndex(of: phase),
        [
          [.key("phases"), .named(phase), .key("gpus")],
          [.key("phases"), .index(position), .key("gpus")],
        ].contains(axis.path.steps)
      {
        throw SweepError(
          flag: flag, "--gpus sets this phase's GPUs: give its counts to --gpus only")
      }
    }
  }

  /// The number of points, from the axes' sizes (at most `SweepAxis.maximumPoints`).
  public private(set) var pointCount = 1

  /// The grid: GPUs outermost, then each axis in order; axes that move together take their
  /// values side by side (one value of each per point, in the axes' order).
  public var points: [Point] {
    var points = gpus.map { $0.map { Point(gpus: $0, values: []) } } ?? [Point(gpus: nil, values: [])]
    points.reserveCapacity(pointCount)
    for dimension in SweepAxis.dimensions(axes) {
      let size = dimension.first?.values.count ?? 0
      points = points.flatMap { point in
        (0..<size).map { position in
          Point(gpus: point.gpus, values: point.values + dimension.map { $0.values[position] })
        }
      }
    }
    return points
  }

  /// A config error without its file position (the document was edited; the key path names
  /// the place).
  static func reason(_ error: ConfigError) -> String {
    error.issues.map { $0.keyPath.isEmpty ? $0.message : "\($0.keyPath): \($0.message)" }
      .joined(separator: "; ")
  }

  /// The document of `point`, with what had to change besides its values (a pool grown to hold
  /// the phase's GPUs). The `--set` values go in first, so a pool is grown from the point's own
  /// pool sizes.
  func document(_ point: Point) throws(SweepError) -> (root: Node, notes: [String]) {
    var root = self.root
    var notes: [String] = []
    for (axis, value) in zip(axes, point.values) {
      root = try axis.path.setting(value, in: root, flag: axis.flag(in: axes))
    }
    if let gpus = point.gpus, let phase {
      // The phase by its name, never read as a position (a phase may be named "0").
      let path = ConfigPath(steps: [.key("phases"), .named(phase), .key("gpus")])
      root = try path.setting(String(gpus), in: root, flag: "--gpus")
      if let program = try? ConfigLoader.parsePlan(root: root, file: file, planning: false)
        .program, let index = program.phases.firstIndex(where: { $0.name == phase })
      {
        for poolIndex in program.phases[index].poolIndices {
          let pool = program.pools[poolIndex]
          let needed = (gpus + pool.gpusPerNode - 1) / pool.gpusPerNode
          if needed > pool.nodes {
            let nodes = ConfigPath(
              steps: [.key("cluster"), .key("pools"), .index(poolIndex), .key("nodes")])
            root = try nodes.setting(String(needed), in: root, flag: "--gpus")
            notes.append("pool \(pool.name) grown from \(pool.nodes) to \(needed) nodes")
          }
        }
      }
    }
    return (root, notes)
  }

  /// Plans and simulates every point; `progress` gets the replications done over the sweep.
  public func run(
    replications: Int?, seed: UInt64? = nil, threads: Int = 1, topology: Topology? = nil,
    progress: ((Int) -> Void)? = nil
  ) throws(SweepError) -> SweepResult {
    var results: [SweepResult.PointResult] = []
    try run(
      Array(points.indices), replications: replications, seed: seed, threads: threads,
      topology: topology, progress: progress
    ) { (_, result) throws(SweepError) in results.append(result) }
    return result(of: results)
  }

  /// The sweep's result from every point's, in grid order.
  public func result(of points: [SweepResult.PointResult]) -> SweepResult {
    SweepResult(file: file, phase: phase, axes: axes.map(\.key), points: points)
  }

  /// Plans and simulates the points at `indices` (grid positions), in that order, handing each
  /// result to `finished` as it completes. A point's random streams are the seed's, whatever
  /// else runs, so any subset gives each point the figures the whole sweep gives it.
  public func run(
    _ indices: [Int], replications: Int?, seed: UInt64? = nil, threads: Int = 1,
    topology: Topology? = nil, progress: ((Int) -> Void)? = nil,
    finished: (Int, SweepResult.PointResult) throws(SweepError) -> Void
  ) throws(SweepError) {
    let grid = points
    var done = 0
    for index in indices {
      let point = grid[index]
      let (document, notes) = try self.document(point)
      var result = SweepResult.PointResult(point: point, notes: notes, outcome: .infeasible(""))
      do {
        let plan = try ConfigLoader.parsePlan(root: document, file: file)
        let offset = done
        let simulated = try Simulation.run(
          plan, seed: seed, replications: replications, threads: threads, topology: topology,
          progress: progress.map { report in { report(offset + $0) } })
        done += simulated.replications
        result.outcome = .feasible(SweepResult.Measures(simulated, phase: phase))
      } catch let error as ConfigError {
        result.outcome = .infeasible(Self.reason(error))
      } catch let error as SimulationError {
        result.outcome = .infeasible(error.message)
      } catch {
        result.outcome = .infeasible("\(error)")
      }
      try finished(index, result)
    }
  }

  /// Each point's expected cost, for balancing shards: its replications times the events one
  /// replication is expected to take (per phase, its start and end plus two per expected
  /// interruption, expected wall-clock hours over the MTBF the planner gives), plus one per 64
  /// nodes for setting a replication up. A point that cannot be planned costs 1.
  public func expectedCosts(replications: Int?) -> [Double] {
    points.map { point in
      guard let (document, _) = try? self.document(point),
        let plan = try? ConfigLoader.parsePlan(root: document, file: file)
      else { return 1 }
      let count = Double(replications ?? plan.program.simulation.replications)
      let nodes = plan.program.pools.reduce(0) { $0 + $1.totalNodes }
      let events = plan.phases.reduce(Double(nodes) / 64) { total, slots in
        guard let first = slots.first else { return total }
        let interruptions =
          first.mtbfHours.isFinite && first.mtbfHours > 0
          ? first.expectedWallHours / first.mtbfHours : 0
        return total + 2 + 2 * (interruptions.isFinite ? interruptions : 0)
      }
      return count * events
    }
  }
}
