/// The future-event list: events ordered by `(time, sequence)`.
///
/// `sequence` is a per-queue counter assigned at scheduling time, so events at equal times come out
/// in the order they were scheduled (the tie-breaking rule of SimPy's `(time, priority, id)` heap and
/// swift-nio's `ScheduledTask`). An implicit binary min-heap of entries stored inline, ordered by
/// one 128-bit key, with hole-based sifting so an entry moves once per level. O(log n) push and
/// pop, O(1) peek. (A 4-ary heap, after LaMarca and Ladner, JEA 1996, measured slower here:
/// docs/performance.md.)
public struct EventQueue<Payload> {
  /// One scheduled event.
  public struct Entry {
    /// (time, sequence) as one integer: for times ≥ 0 the bits of a Double order like the
    /// values, so comparing keys compares times, then sequences, in one branch-free step.
    @usableFromInline var key: UInt128
    /// What the event carries.
    public var payload: Payload

    @inlinable init(time: SimTime, sequence: UInt64, payload: Payload) {
      // `+ 0` turns -0.0 into +0.0, whose bits order correctly.
      key = UInt128((time.hours + 0).bitPattern) << 64 | UInt128(sequence)
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

  /// An empty queue with room for `capacity` events before it reallocates.
  @inlinable public init(capacity: Int = 16) {
    entries = []
    entries.reserveCapacity(capacity)
  }

  /// The number of pending events. O(1).
  @inlinable public var count: Int { entries.count }

  /// Whether no event is pending. O(1).
  @inlinable public var isEmpty: Bool { entries.isEmpty }

  /// The time of the earliest pending event, if any. O(1).
  @inlinable public var nextTime: SimTime? { entries.first?.time }

  /// Adds an event and returns its sequence number. O(log n).
  @inlinable @discardableResult
  public mutating func push(_ payload: Payload, at time: SimTime) -> UInt64 {
    let sequence = nextSequence
    nextSequence &+= 1
    let entry = Entry(time: time, sequence: sequence, payload: payload)
    entries.append(entry)
    entries.withUnsafeMutableBufferPointer { Self.siftUp(entry, from: $0.count - 1, in: $0) }
    return sequence
  }

  /// Moves the hole at `hole` up past every parent `entry` precedes, then puts `entry` there.
  @inlinable static func siftUp(
    _ entry: Entry, from hole: Int, in heap: UnsafeMutableBufferPointer<Entry>
  ) {
    var hole = hole
    while hole > 0 {
      let parent = (hole - 1) / 2
      guard entry.precedes(heap[parent]) else { break }
      heap[hole] = heap[parent]
      hole = parent
    }
    heap[hole] = entry
  }

  /// Removes and returns the earliest event (lowest time, then lowest sequence). O(log n).
  ///
  /// Bottom-up deletion (Wegener, "Bottom-up-heapsort", TCS 1993): the hole at the root follows
  /// the earliest child down to a leaf without comparing with the displaced last entry, which then
  /// sifts up from there, usually not at all, since it came from the bottom.
  @inlinable public mutating func pop() -> Entry? {
    guard let last = entries.popLast() else { return nil }
    guard !entries.isEmpty else { return last }
    return entries.withUnsafeMutableBufferPointer { heap in
      let first = heap[0]
      let count = heap.count
      var hole = 0
      while true {
        let child = 2 * hole + 1
        guard child < count else { break }
        var best = child
        let end = min(child + 2, count)  // both children
        var next = child + 1
        while next < end {
          if heap[next].precedes(heap[best]) { best = next }
          next += 1
        }
        heap[hole] = heap[best]
        hole = best
      }
      Self.siftUp(last, from: hole, in: heap)
      return first
    }
  }
}

extension EventQueue {
  /// Removes every pending event whose payload `shouldRemove` picks and rebuilds the heap in
  /// O(n) (Floyd, "Algorithm 245: Treesort 3", CACM 1964). The others keep their keys, so they
  /// come out in the same order as before. Returns how many were removed.
  @discardableResult
  public mutating func removeAll(where shouldRemove: (Payload) -> Bool) -> Int {
    let before = entries.count
    entries.removeAll { shouldRemove($0.payload) }
    let count = entries.count
    guard count > 1 else { return before - count }
    entries.withUnsafeMutableBufferPointer { heap in
      for start in stride(from: count / 2 - 1, through: 0, by: -1) {
        let entry = heap[start]
        var hole = start
        while true {
          let child = 2 * hole + 1
          guard child < count else { break }
          var best = child
          if child + 1 < count, heap[child + 1].precedes(heap[child]) { best = child + 1 }
          guard heap[best].precedes(entry) else { break }
          heap[hole] = heap[best]
          hole = best
        }
        heap[hole] = entry
      }
    }
    return before - count
  }
}

extension EventQueue: Sendable where Payload: Sendable {}
extension EventQueue.Entry: Sendable where Payload: Sendable {}
