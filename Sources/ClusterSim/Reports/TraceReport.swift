/// One replication in the Chrome trace event format ("Trace Event Format", the JSON that
/// chrome://tracing and Perfetto open): a process per pool, a thread per phase, a complete event
/// ("X") per slice and an instant event ("i") per failure and repair. Times are microseconds from
/// the start of the program (1 hour = 3.6e9 µs). Documented in docs/output.md.
public struct TraceReport: DrawsReplication, Sendable {
  public let traced: TracedReplication

  public init(_ traced: TracedReplication) {
    self.traced = traced
  }

  static func microseconds(_ hours: Double) -> Double { (hours * 3.6e9).rounded() }

  public func json() -> JSONValue {
    var events: [JSONValue] = []
    for (index, pool) in program.pools.enumerated() {
      events.append(
        .object([
          ("name", .string("process_name")), ("ph", .string("M")),
          ("pid", .integer(Int64(index + 1))), ("tid", .integer(0)),
          ("args", .object([("name", .string("pool \(pool.name) (\(pool.chip.name))"))])),
        ]))
      events.append(
        .object([
          ("name", .string("thread_name")), ("ph", .string("M")),
          ("pid", .integer(Int64(index + 1))), ("tid", .integer(0)),
          ("args", .object([("name", .string("nodes"))])),
        ]))
    }
    for (index, phase) in program.phases.enumerated() {
      let outcome = outcome.phases[index]
      let pool = program.pools[outcome.poolIndex]
      let pid = Int64(outcome.poolIndex + 1)
      let tid = Int64(index + 1)
      events.append(
        .object([
          ("name", .string("thread_name")), ("ph", .string("M")), ("pid", .integer(pid)),
          ("tid", .integer(tid)), ("args", .object([("name", .string(phase.name))])),
        ]))
      events.append(
        .object([
          ("name", .string(phase.name)), ("cat", .string("phase")), ("ph", .string("X")),
          ("ts", .number(Self.microseconds(outcome.startHours))),
          ("dur", .number(Self.microseconds(outcome.wallClockHours))),
          ("pid", .integer(pid)), ("tid", .integer(tid)),
          (
            "args",
            .object([
              ("gpus", .integer(Int64(phase.gpus))), ("cost_usd", .number(outcome.costUSD)),
              ("interruptions", .integer(Int64(outcome.interruptions))),
              ("queue_wait_hours", .number(outcome.queueWaitHours)),
              ("held_gpus", .integer(Int64(phase.heldGPUs(gpusPerNode: pool.gpusPerNode)))),
              ("failure_model", .bool(pool.hasFailureModel)),
            ])
          ),
        ]))
    }
    for slice in timeline.slices {
      events.append(
        .object([
          ("name", .string(slice.activity.rawValue)), ("cat", .string(slice.activity.rawValue)),
          ("ph", .string("X")), ("ts", .number(Self.microseconds(slice.startHours))),
          ("dur", .number(Self.microseconds(slice.endHours) - Self.microseconds(slice.startHours))),
          ("pid", .integer(Int64(slice.pool + 1))), ("tid", .integer(Int64(slice.phase + 1))),
        ]))
    }
    for mark in timeline.marks {
      var args: [(String, JSONValue)] = [("node", .integer(Int64(mark.node)))]
      if !mark.component.isEmpty { args.append(("component", .string(mark.component))) }
      if let phase = mark.phase { args.append(("phase", .string(program.phases[phase].name))) }
      events.append(
        .object([
          ("name", .string(mark.kind.rawValue)), ("cat", .string(mark.kind.rawValue)),
          ("ph", .string("i")), ("s", .string("t")),
          ("ts", .number(Self.microseconds(mark.hours))),
          ("pid", .integer(Int64(mark.pool + 1))),
          ("tid", .integer(mark.phase.map { Int64($0 + 1) } ?? 0)),
          ("args", .object(args)),
        ]))
    }
    return .object([
      ("traceEvents", .array(events)), ("displayTimeUnit", .string("ms")),
      (
        "otherData",
        .object([
          ("config", .string(program.source)), ("seed", .unsigned(program.simulation.seed)),
          ("replication", .integer(Int64(replication))),
          ("time_unit", .string("1 hour = 3.6e9 us")),
        ])
      ),
    ])
  }

  public func rendered() -> String { json().rendered() + "\n" }
}

/// One replication of a program with its timeline: what the trace and the Gantt chart draw.
public struct TracedReplication: Sendable {
  public let program: Program
  public let outcome: ReplicationOutcome
  public let timeline: Timeline
  public let replication: Int

  /// Plans `program` and simulates its replication `replication`, recording its timeline.
  public init(program: Program, replication: Int = 0) throws {
    try self.init(plan: try Planner(program).plan(), replication: replication)
  }

  /// Simulates replication `replication` of a planned program again, recording its timeline.
  public init(plan: ProgramPlan, replication: Int = 0) throws(SimulationError) {
    (outcome, timeline) = try ProgramScheduler(plan: plan).trace(replication: replication)
    self.program = plan.program
    self.replication = replication
  }
}

/// A report drawn from one traced replication.
protocol DrawsReplication {
  var traced: TracedReplication { get }
}

extension DrawsReplication {
  var program: Program { traced.program }
  var outcome: ReplicationOutcome { traced.outcome }
  var timeline: Timeline { traced.timeline }
  var replication: Int { traced.replication }
}
