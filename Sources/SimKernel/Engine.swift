/// A discrete-event engine: a clock, a future-event list and a run loop.
///
/// The engine knows nothing of what its events mean. The caller pops events with `step()` or runs
/// them through a handler with `run(until:handler:)`; the handler may schedule more events.
/// Time never goes backwards: scheduling an event before `now` is a programming error.
public struct Engine<Event> {
  @usableFromInline var clock: SimTime = .zero
  @usableFromInline var delivered: Int = 0
  @usableFromInline var queue: EventQueue<Event>

  /// The current simulated time: the time of the last event delivered.
  @inlinable public var now: SimTime { clock }
  /// The number of events delivered so far.
  @inlinable public var eventsProcessed: Int { delivered }

  /// An engine at time zero with room for `capacity` pending events, whose events may carry
  /// handles 0..<`handles` (`EventQueue`: an event scheduled with a handle replaces that
  /// handle's pending one).
  @inlinable public init(capacity: Int = 16, handles: Int = 0) {
    queue = EventQueue(capacity: capacity, handles: handles)
  }

  /// Back to time zero with nothing pending, as if new, keeping the queue's storage (a run of
  /// many replications reuses one engine without reallocating).
  @inlinable public mutating func reset() {
    clock = .zero
    delivered = 0
    queue.reset()
  }

  /// The number of pending events.
  @inlinable public var pendingCount: Int { queue.count }

  /// The time of the next pending event, if any.
  @inlinable public var nextEventTime: SimTime? { queue.nextTime }

  /// Schedules `event` at the absolute time `time`. O(log n).
  ///
  /// - Precondition: `time >= now` and `time` is finite.
  @inlinable @discardableResult
  public mutating func schedule(_ event: Event, at time: SimTime) -> UInt64 {
    precondition(time.hours.isFinite, "Engine: event scheduled at a non-finite time \(time)")
    precondition(time >= now, "Engine: event scheduled at \(time), before now (\(now))")
    return queue.push(event, at: time)
  }

  /// Schedules `event` `hours` after `now`. O(log n).
  @inlinable @discardableResult
  public mutating func schedule(_ event: Event, afterHours hours: Double) -> UInt64 {
    schedule(event, at: now.advanced(byHours: hours))
  }

  /// Schedules `event` at `time` under `handle`, replacing the pending event of that handle if
  /// there is one. O(log n).
  ///
  /// - Precondition: `time >= now` and `time` is finite.
  @inlinable @discardableResult
  public mutating func schedule(_ event: Event, at time: SimTime, handle: Int) -> UInt64 {
    precondition(time.hours.isFinite, "Engine: event scheduled at a non-finite time \(time)")
    precondition(time >= now, "Engine: event scheduled at \(time), before now (\(now))")
    return queue.push(event, at: time, handle: handle)
  }

  /// Schedules `event` `hours` after `now` under `handle` (see `schedule(_:at:handle:)`).
  @inlinable @discardableResult
  public mutating func schedule(_ event: Event, afterHours hours: Double, handle: Int) -> UInt64 {
    schedule(event, at: now.advanced(byHours: hours), handle: handle)
  }

  /// Removes the pending event of `handle`, if any; returns whether there was one. O(log n).
  @inlinable @discardableResult
  public mutating func cancel(handle: Int) -> Bool { queue.cancel(handle: handle) }

  /// Delivers the next event: advances `now` to its time and returns it, or nil when none is
  /// pending. O(log n).
  @inlinable public mutating func step() -> (time: SimTime, event: Event)? {
    guard let entry = queue.pop() else { return nil }
    clock = entry.time
    delivered += 1
    return (entry.time, entry.payload)
  }

  /// Delivers events in order to `handler` until none is pending or the next one lies after
  /// `limit`; `now` then stays at the last delivered event. Errors thrown by the handler stop the
  /// run and propagate: an event that cannot be handled fails the run.
  @inlinable public mutating func run<Failure: Error>(
    until limit: SimTime = SimTime(hours: .infinity),
    handler: (inout Engine<Event>, Event) throws(Failure) -> Void
  ) throws(Failure) {
    while let next = queue.nextTime, next <= limit, let (_, event) = step() {
      try handler(&self, event)
    }
  }
}

extension Engine: Sendable where Event: Sendable {}
