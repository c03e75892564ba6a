import Testing

@testable import SimKernel

@Suite struct EventQueueTests {
  /// Handles against a plain model: random pushes with and without handles, replacements and
  /// cancellations, interleaved with pops, on whole-hour times with many ties. Every pop must
  /// give the model's earliest (time, sequence), a replaced event's new key included, and no
  /// replaced or cancelled event may come out.
  @Test(arguments: [1, 2, 3, 4])
  func handlesReplaceAndCancelLikeAModel(seed: Int) {
    var stream = RandomStream(seed: UInt64(seed), replication: 0)
    let handles = 40
    var queue = EventQueue<Int>(capacity: 8, handles: handles)
    // The model: live events as (time, sequence, payload), and each handle's live sequence.
    var model: [(time: Double, sequence: UInt64, payload: Int)] = []
    var live = [UInt64?](repeating: nil, count: handles)
    var now = 0.0
    var next = 0
    for _ in 0..<6_000 {
      let roll = stream.nextUnitInterval()
      let time = now + (stream.nextUnitInterval() * 8).rounded(.down)
      if roll < 0.25 {
        let sequence = queue.push(next, at: SimTime(hours: time))
        model.append((time, sequence, next))
        next += 1
      } else if roll < 0.6 {
        let handle = Int(stream.next() % UInt64(handles))
        if let old = live[handle] { model.removeAll { $0.sequence == old } }
        let sequence = queue.push(next, at: SimTime(hours: time), handle: handle)
        model.append((time, sequence, next))
        live[handle] = sequence
        next += 1
      } else if roll < 0.7 {
        let handle = Int(stream.next() % UInt64(handles))
        #expect(queue.isPending(handle: handle) == (live[handle] != nil))
        #expect(queue.cancel(handle: handle) == (live[handle] != nil))
        if let old = live[handle] { model.removeAll { $0.sequence == old } }
        live[handle] = nil
      } else if let entry = queue.pop() {
        let earliest = model.indices.min { (model[$0].time, model[$0].sequence) < (model[$1].time, model[$1].sequence) }!
        #expect(entry.payload == model[earliest].payload)
        #expect(entry.time.hours == model[earliest].time)
        #expect(entry.sequence == model[earliest].sequence)
        for handle in live.indices where live[handle] == entry.sequence { live[handle] = nil }
        model.remove(at: earliest)
        now = entry.time.hours
      }
      #expect(queue.count == model.count)
    }
    // A reset queue is as new: sequences from 0, no handle pending.
    queue.reset()
    #expect(queue.isEmpty)
    #expect((0..<handles).allSatisfy { !queue.isPending(handle: $0) })
    #expect(queue.push(7, at: SimTime(hours: 1), handle: 3) == 0)
  }

  @Test func popsInTimeOrder() {
    var queue = EventQueue<String>()
    queue.push("c", at: SimTime(hours: 3))
    queue.push("a", at: SimTime(hours: 1))
    queue.push("b", at: SimTime(hours: 2))
    #expect(queue.count == 3)
    #expect(queue.nextTime == SimTime(hours: 1))
    #expect([queue.pop(), queue.pop(), queue.pop()].map { $0?.payload } == ["a", "b", "c"])
    #expect(queue.pop() == nil)
    #expect(queue.isEmpty)
  }

  @Test func equalTimesComeOutInSchedulingOrder() {
    var queue = EventQueue<Int>()
    for value in 0..<50 { queue.push(value, at: SimTime(hours: 7)) }
    queue.push(-1, at: SimTime(hours: 6))
    var popped: [Int] = []
    while let entry = queue.pop() { popped.append(entry.payload) }
    #expect(popped == [-1] + Array(0..<50))
  }

  @Test(arguments: 0..<20)
  func randomScheduleNeverGoesBackInTime(seed: Int) {
    var stream = RandomStream(seed: UInt64(seed), replication: 0)
    var queue = EventQueue<Int>(capacity: 64)
    var scheduled = 0
    var popped = Set<Int>()
    var last = (time: -1.0, sequence: UInt64(0))
    // Interleave pushes and pops, as a simulation does.
    for _ in 0..<2_000 {
      if stream.nextUnitInterval() < 0.6 || queue.isEmpty {
        let base = max(last.time, 0)
        // Whole hours, so many events share a time and the tie rule is exercised.
        let time = base + (stream.nextUnitInterval() * 10).rounded(.down)
        queue.push(scheduled, at: SimTime(hours: time))
        scheduled += 1
      } else if let entry = queue.pop() {
        #expect(entry.time.hours >= last.time)
        if entry.time.hours == last.time { #expect(entry.sequence > last.sequence) }
        last = (entry.time.hours, entry.sequence)
        popped.insert(entry.payload)
      }
    }
    // Every event comes out exactly once, payloads intact through slot reuse.
    while let entry = queue.pop() {
      #expect(entry.time.hours >= last.time)
      last = (entry.time.hours, entry.sequence)
      #expect(popped.insert(entry.payload).inserted)
    }
    #expect(popped == Set(0..<scheduled))
  }
}

@Suite struct EngineTests {
  enum Event: Equatable { case tick(Int), stop }

  @Test func handlerSchedulesFollowUpsAndClockAdvances() {
    var engine = Engine<Event>()
    engine.schedule(.tick(0), at: SimTime(hours: 1))
    var seen: [(Double, Event)] = []
    engine.run { engine, event in
      seen.append((engine.now.hours, event))
      if case .tick(let n) = event, n < 3 { engine.schedule(.tick(n + 1), afterHours: 0.5) }
    }
    #expect(seen.map(\.0) == [1, 1.5, 2, 2.5])
    #expect(seen.map(\.1) == [.tick(0), .tick(1), .tick(2), .tick(3)])
    #expect(engine.eventsProcessed == 4)
    #expect(engine.now == SimTime(hours: 2.5))
  }

  @Test func runUntilStopsBeforeLaterEvents() {
    var engine = Engine<Event>()
    engine.schedule(.tick(1), at: SimTime(hours: 1))
    engine.schedule(.tick(2), at: SimTime(hours: 2))
    engine.schedule(.stop, at: SimTime(hours: 5))
    var seen: [Event] = []
    engine.run(until: SimTime(hours: 2)) { _, event in seen.append(event) }
    #expect(seen == [.tick(1), .tick(2)])
    #expect(engine.now == SimTime(hours: 2))
    #expect(engine.pendingCount == 1)
    #expect(engine.nextEventTime == SimTime(hours: 5))
  }

  struct Failed: Error, Equatable { var atHours: Double }

  @Test func handlerErrorStopsTheRun() {
    var engine = Engine<Event>()
    engine.schedule(.tick(1), at: SimTime(hours: 1))
    engine.schedule(.stop, at: SimTime(hours: 2))
    engine.schedule(.tick(3), at: SimTime(hours: 3))
    #expect(throws: Failed(atHours: 2)) {
      try engine.run { (engine, event) throws(Failed) in
        if event == .stop { throw Failed(atHours: engine.now.hours) }
      }
    }
    #expect(engine.pendingCount == 1)
  }

  @Test func secondsAndHoursAgree() {
    #expect(SimTime.seconds(5_400).hours == 1.5)
    #expect(SimTime(hours: 2).seconds == 7_200)
  }
}
