import Testing

@testable import SimKernel

@Suite struct RandomStreamTests {
  /// SplitMix64 reference outputs for seed 1234567 (Vigna's splitmix64.c, the vector quoted by
  /// the PCG and xoshiro test suites).
  @Test func splitMix64MatchesReference() {
    var generator = SplitMix64(seed: 1_234_567)
    #expect(generator.next() == 6_457_827_717_110_365_317)
    #expect(generator.next() == 3_203_168_211_198_807_973)
    #expect(generator.next() == 9_817_491_932_198_370_423)
  }

  /// xoshiro256** from state (1, 2, 3, 4), computed by hand from the reference algorithm:
  /// first output rotl(2·5, 7)·9 = 1280·9 = 11520; the state becomes (7, 0, 262146, 211106232532992)
  /// so the second is rotl(0, 7)·9 = 0.
  @Test func xoshiroMatchesHandComputedSteps() {
    var stream = RandomStream(seed: 0, replication: 0)
    stream.s0 = 1
    stream.s1 = 2
    stream.s2 = 3
    stream.s3 = 4
    #expect(stream.next() == 11_520)
    #expect([stream.s0, stream.s1, stream.s2, stream.s3] == [7, 0, 262_146, 211_106_232_532_992])
    #expect(stream.next() == 0)
  }

  @Test func sameSeedAndReplicationGiveTheSameStream() {
    var a = RandomStream(seed: 42, replication: 7)
    var b = RandomStream(seed: 42, replication: 7)
    for _ in 0..<1_000 { #expect(a.next() == b.next()) }
  }

  @Test func neighbouringSeedsAndReplicationsDiffer() {
    var firsts = Set<UInt64>()
    for seed in 0..<50 as Range<UInt64> {
      for replication in 0..<50 as Range<UInt64> {
        var stream = RandomStream(seed: seed, replication: replication)
        firsts.insert(stream.next())
      }
    }
    #expect(firsts.count == 2_500)
  }

  @Test func unitIntervalsStayInRange() {
    var stream = RandomStream(seed: 3, replication: 1)
    for _ in 0..<100_000 {
      let closedOpen = stream.nextUnitInterval()
      #expect(closedOpen >= 0 && closedOpen < 1)
      let openClosed = stream.nextOpenUnitInterval()
      #expect(openClosed > 0 && openClosed <= 1)
    }
  }
}
