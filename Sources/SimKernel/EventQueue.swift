/// The future-event list: events ordered by `(time, sequence)`.
///
/// `sequence` is a per-queue counter assigned at scheduling time, so events at equal times come out
/// in the order they were scheduled (the tie-breaking rule of SimPy's `(time, priority, id)` heap and
/// swift-nio's `ScheduledTask`). An implicit binary min-heap of entries stored inline, ordered by
/// one 128-bit key, with hole-based sifting so an entry moves once per level. O(log n) push and
/// pop, O(1) peek. (A 4-ary heap, after LaMarca and Ladner, JEA 1996, measured slower here:
/// docs/performance.md.)
///
/// An event may carry a *handle*, a small integer the caller names it by (a phase's pending end,
/// a pool's next failure): the queue keeps each handle's heap slot, so pushing with a handle
/// replaces that handle's pending event and `cancel(handle:)` removes it, both in O(log n), and
/// an event superseded by another never waits in the heap to be popped and ignored. A replaced
/// event takes a new sequence number, as if it had been pushed anew.
public struct EventQueue<Payload> {
  /// One scheduled event.
  public struct Entry {
    /// (time, sequence) as one integer: for times ≥ 0 the bits of a Double order like the
    /// values, so comparing keys compares times, then sequences, in one branch-free step.
    @usableFromInline var key: UInt128
    /// The caller's name for it, or -1.
    @usableFromInline var handle: Int32
    /// What the event carries.
    public var payload: Payload

    @inlinable init(time: SimTime, sequence: UInt64, handle: Int32, payload: Payload) {
      // `+ 0` turns -0.0 into +0.0, whose bits order correctly.
      key = UInt128((time.hours + 0).bitPattern) << 64 | UInt128(sequence)
      self.handle = handle
      self.payload = payload
    }

    /// When the event fires.
    @inlinable public var time: SimTime {
      SimTime(hours: Double(bitPattern: UInt64(truncatingIfNeeded: key >> 64)))
    }

    /// The order in which it was scheduled; breaks ties between equal times.
    @inlinable public var sequence: UInt64 { UInt64(truncatingIfNeeded: key) }

    /// Earlier time first, then earlier sequence.
    @inlinable func precedes(_ other: Entry) -> Bool { key < other.key }
  }

  @usableFromInline var entries: [Entry]
  @usableFromInline var nextSequence: UInt64 = 0
  /// The heap slot of each handle's pending event, or -1.
  @usableFromInline var slotOfHandle: [Int32]

  /// An empty queue with room for `capacity` events before it reallocates, whose events may
  /// carry handles 0..<`handles`.
  @inlinable public init(capacity: Int = 16, handles: Int = 0) {
    entries = []
    entries.reserveCapacity(capacity)
    slotOfHandle = [Int32](repeating: -1, count: handles)
  }

  /// Empties the queue as if new (sequence numbers start again at 0), keeping its storage.
  @inlinable public mutating func reset() {
    entries.removeAll(keepingCapacity: true)
    nextSequence = 0
    slotOfHandle.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
  }

  /// The number of pending events. O(1).
  @inlinable public var count: Int { entries.count }

  /// Whether no event is pending. O(1).
  @inlinable public var isEmpty: Bool { entries.isEmpty }

  /// The time of the earliest pending event, if any. O(1).
  @inlinable public var nextTime: SimTime? { entries.first?.time }

  /// Whether an event with `handle` is pending. O(1).
  @inlinable public func isPending(handle: Int) -> Bool { slotOfHandle[handle] >= 0 }

  /// Adds an event and returns its sequence number. O(log n).
  @inlinable @discardableResult
  public mutating func push(_ payload: Payload, at time: SimTime) -> UInt64 {
    insert(Entry(time: time, sequence: takeSequence(), handle: -1, payload: payload))
  }

  /// Adds an event named `handle`, replacing the pending event of that handle if there is one,
  /// and returns its sequence number. O(log n).
  @inlinable @discardableResult
  public mutating func push(_ payload: Payload, at time: SimTime, handle: Int) -> UInt64 {
    let entry = Entry(time: time, sequence: takeSequence(), handle: Int32(handle), payload: payload)
    let slot = Int(slotOfHandle[handle])
    guard slot >= 0 else { return insert(entry) }
    replace(at: slot, with: entry)
    return entry.sequence
  }

  /// Removes the pending event named `handle`, if any; returns whether there was one. O(log n).
  @inlinable @discardableResult
  public mutating func cancel(handle: Int) -> Bool {
    let slot = Int(slotOfHandle[handle])
    guard slot >= 0 else { return false }
    slotOfHandle[handle] = -1
    let last = entries.removeLast()
    guard slot < entries.count else { return true }
    replace(at: slot, with: last)
    return true
  }

  /// Puts `entry` in place of the entry at `slot`, then up or down to where it belongs.
  @inlinable mutating func replace(at slot: Int, with entry: Entry) {
    let earlier = entry.precedes(entries[slot])
    withTrackedHeap { heap, slots in
      if earlier {
        Self.siftUp(entry, from: slot, in: heap, slots)
      } else {
        Self.siftDown(entry, from: slot, in: heap, slots)
      }
    }
  }

  /// Removes and returns the earliest event (lowest time, then lowest sequence). O(log n).
  @inlinable public mutating func pop() -> Entry? {
    guard let last = entries.popLast() else { return nil }
    guard !entries.isEmpty else {
      if last.handle >= 0 { slotOfHandle[Int(last.handle)] = -1 }
      return last
    }
    if slotOfHandle.isEmpty {
      return entries.withUnsafeMutableBufferPointer {
        Self.popRoot(replacingWith: last, $0, Untracked())
      }
    }
    return withTrackedHeap { heap, slots in
      if heap[0].handle >= 0 { slots.slots[Int(heap[0].handle)] = -1 }
      return Self.popRoot(replacingWith: last, heap, slots)
    }
  }

  @inlinable mutating func takeSequence() -> UInt64 {
    defer { nextSequence &+= 1 }
    return nextSequence
  }

  @inlinable mutating func insert(_ entry: Entry) -> UInt64 {
    entries.append(entry)
    if slotOfHandle.isEmpty {
      entries.withUnsafeMutableBufferPointer {
        Self.siftUp(entry, from: $0.count - 1, in: $0, Untracked())
      }
    } else {
      withTrackedHeap { heap, slots in Self.siftUp(entry, from: heap.count - 1, in: heap, slots) }
    }
    return entry.sequence
  }

  /// The heap, and the handles' slots to record moves in.
  @inlinable mutating func withTrackedHeap<Result>(
    _ body: (UnsafeMutableBufferPointer<Entry>, Tracked) -> Result
  ) -> Result {
    entries.withUnsafeMutableBufferPointer { heap in
      slotOfHandle.withUnsafeMutableBufferPointer { slots in body(heap, Tracked(slots: slots)) }
    }
  }

  /// Moves the hole at `hole` up past every parent `entry` precedes, then puts `entry` there.
  @inlinable static func siftUp<Slots: SlotRecorder>(
    _ entry: Entry, from hole: Int, in heap: UnsafeMutableBufferPointer<Entry>, _ slots: Slots
  ) {
    var hole = hole
    while hole > 0 {
      let parent = (hole - 1) / 2
      guard entry.precedes(heap[parent]) else { break }
      heap[hole] = heap[parent]
      slots.record(heap[hole].handle, hole)
      hole = parent
    }
    heap[hole] = entry
    slots.record(entry.handle, hole)
  }

  /// Moves the hole at `hole` down past every child that precedes `entry`, then puts `entry`
  /// there.
  @inlinable static func siftDown<Slots: SlotRecorder>(
    _ entry: Entry, from hole: Int, in heap: UnsafeMutableBufferPointer<Entry>, _ slots: Slots
  ) {
    let count = heap.count
    var hole = hole
    while true {
      let child = 2 * hole + 1
      guard child < count else { break }
      var best = child
      if child + 1 < count, heap[child + 1].precedes(heap[child]) { best = child + 1 }
      guard heap[best].precedes(entry) else { break }
      heap[hole] = heap[best]
      slots.record(heap[hole].handle, hole)
      hole = best
    }
    heap[hole] = entry
    slots.record(entry.handle, hole)
  }

  /// Takes out the root and fills its place with `last` (the entry just taken off the end).
  ///
  /// Bottom-up deletion (Wegener, "Bottom-up-heapsort", TCS 1993): the hole at the root follows
  /// the earliest child down to a leaf without comparing with the displaced last entry, which then
  /// sifts up from there, usually not at all, since it came from the bottom.
  @inlinable static func popRoot<Slots: SlotRecorder>(
    replacingWith last: Entry, _ heap: UnsafeMutableBufferPointer<Entry>, _ slots: Slots
  ) -> Entry {
    let first = heap[0]
    let count = heap.count
    var hole = 0
    while true {
      let child = 2 * hole + 1
      guard child < count else { break }
      var best = child
      // Written as a loop over both children: the compiler makes the choice branch-free, which
      // an `if` on the comparison is not (half the comparisons of random keys mispredict).
      let end = min(child + 2, count)
      var next = child + 1
      while next < end {
        if heap[next].precedes(heap[best]) { best = next }
        next += 1
      }
      heap[hole] = heap[best]
      slots.record(heap[hole].handle, hole)
      hole = best
    }
    siftUp(last, from: hole, in: heap, slots)
    return first
  }
}

/// Where a heap records the slot an entry moves to: nowhere for a queue without handles (its
/// loops compile as if handles did not exist), in the handles' slot array otherwise.
@usableFromInline protocol SlotRecorder {
  func record(_ handle: Int32, _ slot: Int)
}

@usableFromInline struct Untracked: SlotRecorder {
  @inlinable init() {}
  @inlinable func record(_ handle: Int32, _ slot: Int) {}
}

@usableFromInline struct Tracked: SlotRecorder {
  @usableFromInline let slots: UnsafeMutableBufferPointer<Int32>
  @inlinable init(slots: UnsafeMutableBufferPointer<Int32>) { self.slots = slots }
  @inlinable func record(_ handle: Int32, _ slot: Int) {
    if handle >= 0 { slots[Int(handle)] = Int32(truncatingIfNeeded: slot) }
  }
}

extension EventQueue: Sendable where Payload: Sendable {}
extension EventQueue.Entry: Sendable where Payload: Sendable {}
