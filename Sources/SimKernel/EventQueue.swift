public import HeapModule

/// The future-event list: events ordered by `(time, sequence)`.
///
/// `sequence` is a per-queue counter assigned at scheduling time, so events at equal times come out
/// in the order they were scheduled (the tie-breaking rule of SimPy's `(time, priority, id)` heap and
/// swift-nio's `ScheduledTask`). Backed by swift-collections' binary min-max `Heap`.
public struct EventQueue<Payload> {
  /// One scheduled event.
  public struct Entry {
    /// When the event fires.
    public var time: SimTime
    /// The order in which it was scheduled; breaks ties between equal times.
    public var sequence: UInt64
    /// What the event carries.
    public var payload: Payload

    @inlinable init(time: SimTime, sequence: UInt64, payload: Payload) {
      self.time = time
      self.sequence = sequence
      self.payload = payload
    }
  }

  @usableFromInline
  struct Key: Comparable {
    @usableFromInline var time: SimTime
    @usableFromInline var sequence: UInt64
    @usableFromInline var slot: Int

    @inlinable init(time: SimTime, sequence: UInt64, slot: Int) {
      self.time = time
      self.sequence = sequence
      self.slot = slot
    }

    @inlinable static func < (lhs: Key, rhs: Key) -> Bool {
      if lhs.time.hours != rhs.time.hours { return lhs.time.hours < rhs.time.hours }
      return lhs.sequence < rhs.sequence
    }

    @inlinable static func == (lhs: Key, rhs: Key) -> Bool {
      lhs.time.hours == rhs.time.hours && lhs.sequence == rhs.sequence
    }
  }

  // Payloads live in a slot array so the heap moves small keys only; freed slots are reused.
  @usableFromInline var heap: Heap<Key>
  @usableFromInline var payloads: [Payload?]
  @usableFromInline var freeSlots: [Int]
  @usableFromInline var nextSequence: UInt64 = 0

  /// An empty queue with room for `capacity` events before it reallocates.
  @inlinable public init(capacity: Int = 16) {
    heap = Heap()
    heap.reserveCapacity(capacity)
    payloads = []
    payloads.reserveCapacity(capacity)
    freeSlots = []
  }

  /// The number of pending events. O(1).
  @inlinable public var count: Int { heap.count }

  /// Whether no event is pending. O(1).
  @inlinable public var isEmpty: Bool { heap.isEmpty }

  /// The time of the earliest pending event, if any. O(1).
  @inlinable public var nextTime: SimTime? { heap.min?.time }

  /// Adds an event and returns its sequence number. O(log n).
  @inlinable @discardableResult
  public mutating func push(_ payload: Payload, at time: SimTime) -> UInt64 {
    let sequence = nextSequence
    nextSequence &+= 1
    let slot: Int
    if let free = freeSlots.popLast() {
      slot = free
      payloads[slot] = payload
    } else {
      slot = payloads.count
      payloads.append(payload)
    }
    heap.insert(Key(time: time, sequence: sequence, slot: slot))
    return sequence
  }

  /// Removes and returns the earliest event (lowest time, then lowest sequence). O(log n).
  @inlinable public mutating func pop() -> Entry? {
    guard let key = heap.popMin() else { return nil }
    // A slot in the heap always holds a payload: push fills it, pop empties it.
    guard let payload = payloads[key.slot] else {
      preconditionFailure("EventQueue: slot \(key.slot) is empty")
    }
    payloads[key.slot] = nil
    freeSlots.append(key.slot)
    return Entry(time: key.time, sequence: key.sequence, payload: payload)
  }
}

extension EventQueue: Sendable where Payload: Sendable {}
extension EventQueue.Key: Sendable {}
extension EventQueue.Entry: Sendable where Payload: Sendable {}
