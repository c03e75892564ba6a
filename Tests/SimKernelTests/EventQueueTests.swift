import Testing

@testable import SimKernel

@Suite struct EventQueueTests {
  /// Removing events (the engine's abandoned ones) leaves the others to come out in the order
  /// they would have: equal times by scheduling order, on 2,000 random times with many ties.
  @Test func removalKeepsTheOrderOfTheRest() {
    var stream = RandomStream(seed: 3, replication: 0)
    var queue = EventQueue<Int>()
    var reference = EventQueue<Int>()
    for index in 0..<2_000 {
      let time = SimTime(hours: Double(stream.next() % 50))
      queue.push(index, at: time)
      if index % 3 != 0 { reference.push(index, at: time) }
    }
    #expect(queue.removeAll { $0 % 3 == 0 } == 667)
    var left: [Int] = []
    var expected: [(Double, Int)] = []
    while let entry = queue.pop() { left.append(entry.payload) }
    while let entry = reference.pop() { expected.append((entry.time.hours, entry.payload)) }
    #expect(left == expected.map(\.1))
    #expect(left.count == 1_333)
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
