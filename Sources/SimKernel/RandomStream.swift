/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
/// used only to expand seeds into generator states, as Vigna recommends for xoshiro.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  @usableFromInline var state: UInt64

  /// A generator starting from `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// The next 64 random bits.
  @inlinable public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// The random stream of one replication: xoshiro256** (Blackman and Vigna, "Scrambled linear
/// pseudorandom number generators", ACM TOMS 2021) seeded from `(seed, replication)`.
///
/// Replication `i` of a run with seed `s` always draws the same numbers, whichever thread runs it
/// and in whatever order, so no result depends on scheduling. The engine never touches the system
/// random number generator.
public struct RandomStream: RandomNumberGenerator, Sendable {
  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64

  /// The stream of replication `replication` of a run seeded with `seed`.
  ///
  /// The two numbers are mixed through SplitMix64 separately and combined, so neighbouring seeds
  /// and neighbouring replications give unrelated streams.
  public init(seed: UInt64, replication: UInt64) {
    self.init(seed: seed, replication: replication, substream: 0)
  }

  /// Substream `substream` of replication `replication`: an independent stream for one part of
  /// the model (a phase's own draws), so what it draws never shifts the draws of the rest.
  /// Substream 0 is the replication's main stream.
  public init(seed: UInt64, replication: UInt64, substream: UInt64) {
    var mixer = SplitMix64(seed: seed)
    var seedHash = mixer.next()
    if substream != 0 {
      var keyed = SplitMix64(seed: seedHash ^ (substream &* 0x9E37_79B9_7F4A_7C15))
      seedHash = keyed.next()
    }
    var expander = SplitMix64(seed: seedHash ^ (replication &* 0xD1B5_4A32_D192_ED03))
    // Discard one output so replication 0 does not start from the seed hash itself.
    _ = expander.next()
    s0 = expander.next()
    s1 = expander.next()
    s2 = expander.next()
    s3 = expander.next()
    if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is the generator's one fixed point
  }

  /// The next 64 random bits.
  @inlinable public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, by: 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, by: 45)
    return result
  }

  @inlinable func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }
}

extension RandomNumberGenerator {
  /// A uniform double in [0, 1) with 53 random bits.
  @inlinable public mutating func nextUnitInterval() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform double in (0, 1]: safe to take the logarithm of.
  @inlinable public mutating func nextOpenUnitInterval() -> Double {
    1.0 - nextUnitInterval()
  }
}
