/// The range a config number may take, checked where the number is read, so nothing downstream
/// meets a value whose arithmetic overflows (a checkpoint interval of 1e307 hours times 100 is
/// infinite, and an infinite or NaN value once trapped the table).
///
/// Each key's bound is physical, with room to spare: the largest value a real program could use
/// times a thousand or more, and below the point where the planner's products (hours × GPUs,
/// tokens × parameters × 6, rates × nodes) leave the doubles. Numbers that are divisors (a
/// bandwidth, an MTBF) also have a smallest value, so their reciprocals stay finite.
struct ConfigBound: Sendable {
  /// The smallest value accepted; nil for any value above zero (or zero, for a non-negative one).
  var minimum: Double?
  var maximum: Double
  /// What the number counts, for the message: `hours`, `US dollars per GPU-hour`.
  var unit: String

  init(minimum: Double? = nil, maximum: Double, _ unit: String) {
    self.minimum = minimum
    self.maximum = maximum
    self.unit = unit
  }

  /// Durations: the longest a phase may last, 1,000,000 hours (114 years).
  static let hours = ConfigBound(maximum: Phase.maximumHours, "hours")
  /// Write, restore and restart times: the same span in minutes.
  static let minutes = ConfigBound(maximum: Phase.maximumHours * 60, "minutes")
  /// GPU-hours: a phase's most GPUs (1e8) for its longest span (1e6 hours).
  static let gpuHours = ConfigBound(maximum: 1e14, "GPU-hours")
  /// Training tokens: the largest public runs use about 1e14.
  static let trainingTokens = ConfigBound(maximum: 1e18, "tokens")
  /// Parameters (active per token): the largest models have about 1e13.
  static let parameters = ConfigBound(maximum: 1e16, "parameters")
  /// FLOPs per token: 6 × the largest parameter count, with room.
  static let flopsPerToken = ConfigBound(maximum: 1e18, "FLOPs per token")
  /// Optimiser steps, samples, and other counts of things a run goes through.
  static let steps = ConfigBound(maximum: 1e12, "steps")
  static let samples = ConfigBound(maximum: 1e15, "samples")
  static let epochs = ConfigBound(maximum: 1e6, "epochs")
  /// The most tokens a prompt or a generated sample may have.
  static let sequenceTokens = ConfigBound(maximum: 10_000_000, "tokens")
  /// Failure rates. A node failing every 3.6 seconds is already far past what the planner
  /// accepts (its interruption limit refuses it); the bounds keep rate × nodes finite.
  static let perGPUHour = ConfigBound(maximum: 1_000, "failures per GPU-hour")
  static let perNodeDay = ConfigBound(maximum: 100_000, "failures per node-day")
  static let mtbfHours = ConfigBound(minimum: 0.001, maximum: 1e12, "hours")
  /// A multiplier of a failure profile's rates.
  static let scale = ConfigBound(maximum: 1_000_000, "times the profile's rates")
  /// Storage bandwidth, aggregate.
  static let storageGBPerS = ConfigBound(minimum: 0.001, maximum: 1e9, "GB/s")
  /// Chip figures: a thousand times today's largest, and a smallest so step times stay finite.
  static let tflops = ConfigBound(minimum: 0.001, maximum: 10_000_000, "TFLOPS")
  static let hbmGB = ConfigBound(minimum: 0.001, maximum: 1_000_000, "GB")
  static let hbmTBPerS = ConfigBound(minimum: 0.001, maximum: 10_000, "TB/s")
  static let nvlinkGBPerS = ConfigBound(minimum: 0.001, maximum: 10_000_000, "GB/s")
  static let nicGbps = ConfigBound(minimum: 0.001, maximum: 10_000_000, "Gb/s")
  static let watts = ConfigBound(maximum: 1_000_000, "watts")
  static let gigaflops = ConfigBound(maximum: 1e9, "GFLOPs")
  static let microseconds = ConfigBound(maximum: 1e9, "microseconds")
  /// Measured training throughput: a GPU reaching 1e7 tokens per second would be far past any
  /// chip's peak for the smallest model.
  static let tokensPerSecond = ConfigBound(maximum: 1e7, "tokens per second per GPU")
  /// Measured step times: a day per optimizer step, with room.
  static let stepSeconds = ConfigBound(maximum: 1e6, "seconds")
  static let kiloflops = ConfigBound(maximum: 1e12, "kFLOPs")
  static let memoryPasses = ConfigBound(maximum: 1_000, "passes over memory")
  /// Jobs per hour arriving in a generated workload.
  static let jobsPerHour = ConfigBound(maximum: 1_000_000, "jobs per hour")
  /// A price: no GPU rents for more than 1,000 US dollars an hour.
  static let pricePerGPUHour = ConfigBound(
    maximum: Pool.maximumPricePerGPUHourUSD, "US dollars per GPU-hour")
  /// A Weibull shape: below 0.1 or above 20 the law is no longer a failure model.
  static let weibullShape = ConfigBound(minimum: 0.1, maximum: 20, "(the Weibull shape)")
  /// The spread of generated lengths.
  static let lengthCV = ConfigBound(
    minimum: 0.001, maximum: 100, "(standard deviation over mean)")
}
