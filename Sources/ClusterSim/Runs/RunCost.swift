import Foundation

/// The machine time a run will take, estimated from its plan before any replication runs, so a
/// config that would simulate for days is refused (or announced) up front rather than found out
/// by waiting (docs/config.md, "Limits").
///
/// Events per replication: 4 per expected interruption (failure, repair, restart, resume), 2 per
/// planned maintenance stop (start, end) and 2 per phase (start, end), taking for each phase the
/// pool on which it is interrupted most. CPU time: 0.2 µs per event plus 3 µs per phase per
/// replication (its bookkeeping and summary).
///
/// The constants come from `clustersim bench CONFIG --threads 1 --repeats 1` (release build, the
/// 2-vCPU machine of docs/performance.md, 2026-12-07):
/// - accepted-work-unbounded (1.93 million interruptions): 7.65 million events per replication
///   (4.0 per interruption) in 1.54 s, 0.20 µs per event;
/// - llama3-405b.yaml, 50 replications: 1,751 events each, 0.22 µs per event;
/// - bench-reliability.yaml, 1,000 replications: 159 events each, 0.19 µs per event;
/// - 2,000 chained phases (benchmarks/report-phases.sh's config), 20 replications: 4,146 events
///   and 6.5 ms each, 3.3 µs per phase once its events are counted.
/// The estimate is within a factor of two of these runs; it is a guard, not a prediction.
public struct RunCost: Sendable, Hashable {
  public let replications: Int
  /// Expected engine events in one replication.
  public let eventsPerReplication: Double
  /// Estimated CPU seconds of the whole run, on one thread.
  public let cpuSeconds: Double

  static let eventsPerInterruption = 4.0
  static let eventsPerMaintenanceStop = 2.0
  static let eventsPerPhase = 2.0
  static let secondsPerEvent = 0.2e-6
  static let secondsPerPhase = 3e-6

  /// Above this estimate a run says how long it will take, on one line of standard error: one
  /// CPU-hour.
  public static let noticeCPUSeconds = 3_600.0
  /// Above this estimate a run is refused unless the user says to go ahead: one CPU-day, about
  /// 45 minutes on 32 threads. The largest shipped config (bench-reliability.yaml, 1,000
  /// replications) is about 0.03 CPU-seconds.
  public static let limitCPUSeconds = 86_400.0

  public init(_ plan: ProgramPlan, replications: Int) {
    let program = plan.program
    var events = 0.0
    for row in plan.phases {
      var most = 0.0
      for slot in row {
        let failing = slot.mtbfHours.isFinite && slot.mtbfHours > 0
        let interruptions = failing ? slot.expectedWallHours / slot.mtbfHours : 0
        let stops =
          program.pools[slot.pool].failures.maintenance.map {
            slot.expectedWallHours / $0.everyHours
          } ?? 0
        most = max(
          most, interruptions * Self.eventsPerInterruption + stops * Self.eventsPerMaintenanceStop)
      }
      events += most + Self.eventsPerPhase
    }
    self.replications = replications
    eventsPerReplication = events
    let perReplication =
      events * Self.secondsPerEvent + Double(plan.phases.count) * Self.secondsPerPhase
    cpuSeconds = Double(replications) * perReplication
  }

  /// `about 17.8 CPU-days (1,000,000 replications of about 7.7 million events)`.
  public var described: String {
    let runs = TextTable.grouped(Double(replications), decimals: 0)
    return "about \(Self.duration(cpuSeconds)) (\(runs) replication\(replications == 1 ? "" : "s") "
      + "of about \(Self.count(eventsPerReplication)) events)"
  }

  /// The wall-clock time on `threads` threads, were they all busy: `about 34 minutes on 32
  /// threads`.
  public func onThreads(_ threads: Int) -> String {
    let seconds = cpuSeconds / Double(max(1, threads))
    return "about \(Self.duration(seconds).replacingOccurrences(of: "CPU-", with: "")) on "
      + "\(threads) thread\(threads == 1 ? "" : "s")"
  }

  /// Seconds as the largest unit that keeps the number at least 1: `3.2 CPU-hours`.
  static func duration(_ seconds: Double) -> String {
    let units: [(Double, String)] = [(86_400, "CPU-day"), (3_600, "CPU-hour"), (60, "CPU-minute")]
    for (size, name) in units where seconds >= size {
      let value = seconds / size
      let text = value < 10 ? String(format: "%.1f", value) : TextTable.grouped(value, decimals: 0)
      return "\(text) \(name)s"
    }
    return String(format: "%.1f CPU-seconds", seconds)
  }

  /// `7.7 million`, `4,146`.
  static func count(_ value: Double) -> String {
    if value >= 1e9 { return String(format: "%.1f billion", value / 1e9) }
    if value >= 1e6 { return String(format: "%.1f million", value / 1e6) }
    return TextTable.grouped(value, decimals: 0)
  }
}
