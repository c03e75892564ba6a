/// What a replication tells whoever records it: each slice of a phase's time and each node
/// failure or repair. The scheduler is generic over its observer, so a run that records nothing
/// (`NoObserver`) compiles the calls away.
protocol ReplicationObserver {
  /// Whether the observer keeps anything; when false, the scheduler skips building slices.
  static var records: Bool { get }
  mutating func record(_ slice: Timeline.Slice)
  mutating func record(_ mark: Timeline.Mark)
}

/// Records nothing: the observer of every replication of a Monte Carlo run.
struct NoObserver: ReplicationObserver {
  static var records: Bool { false }
  @inline(__always) mutating func record(_ slice: Timeline.Slice) {}
  @inline(__always) mutating func record(_ mark: Timeline.Mark) {}
}

/// Keeps every slice and mark: the timeline of `--trace` and `--gantt`.
struct TimelineRecorder: ReplicationObserver {
  static var records: Bool { true }
  var timeline = Timeline()
  mutating func record(_ slice: Timeline.Slice) { timeline.slices.append(slice) }
  mutating func record(_ mark: Timeline.Mark) { timeline.marks.append(mark) }
}
