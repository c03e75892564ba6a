import Foundation

/// A non-negative random duration or quantity, sampled from a `RandomStream`.
///
/// Parameters are in the caller's unit (hours for times); each case states what it means.
public enum Distribution: Sendable, Hashable, CustomStringConvertible {
  /// Always `value`.
  case fixed(Double)
  /// Exponential with the given mean (rate = 1/mean).
  case exponential(mean: Double)
  /// Weibull with shape k and scale λ: P(X > x) = exp(-(x/λ)^k). Shape 1 is exponential with
  /// mean λ.
  case weibull(shape: Double, scale: Double)
  /// Lognormal: ln X is normal with mean `mu` and standard deviation `sigma`.
  case logNormal(mu: Double, sigma: Double)

  /// The lognormal distribution with the given mean and standard deviation of X itself
  /// (σ² = ln(1 + s²/m²), μ = ln m − σ²/2).
  public static func logNormal(mean: Double, standardDeviation: Double) -> Distribution {
    let sigma2 = log(1 + (standardDeviation * standardDeviation) / (mean * mean))
    return .logNormal(mu: log(mean) - sigma2 / 2, sigma: sigma2.squareRoot())
  }

  /// The expected value.
  public var mean: Double {
    switch self {
    case .fixed(let value): value
    case .exponential(let mean): mean
    case .weibull(let shape, let scale): scale * tgamma(1 + 1 / shape)
    case .logNormal(let mu, let sigma): exp(mu + sigma * sigma / 2)
    }
  }

  /// The variance.
  public var variance: Double {
    switch self {
    case .fixed: 0
    case .exponential(let mean): mean * mean
    case .weibull(let shape, let scale):
      scale * scale * (tgamma(1 + 2 / shape) - pow(tgamma(1 + 1 / shape), 2))
    case .logNormal(let mu, let sigma): (exp(sigma * sigma) - 1) * exp(2 * mu + sigma * sigma)
    }
  }

  /// One sample by inversion (exponential, Weibull) or Box–Muller (lognormal), so each draw
  /// consumes a fixed number of random words: one, one and two.
  @inlinable
  public func sample(using generator: inout some RandomNumberGenerator) -> Double {
    switch self {
    case .fixed(let value):
      return value
    case .exponential(let mean):
      return -mean * log(generator.nextOpenUnitInterval())
    case .weibull(let shape, let scale):
      return scale * pow(-log(generator.nextOpenUnitInterval()), 1 / shape)
    case .logNormal(let mu, let sigma):
      let radius = (-2 * log(generator.nextOpenUnitInterval())).squareRoot()
      let angle = 2 * Double.pi * generator.nextUnitInterval()
      return exp(mu + sigma * radius * cos(angle))
    }
  }

  public var description: String {
    switch self {
    case .fixed(let value): "fixed(\(value))"
    case .exponential(let mean): "exponential(mean: \(mean))"
    case .weibull(let shape, let scale): "weibull(shape: \(shape), scale: \(scale))"
    case .logNormal(let mu, let sigma): "lognormal(mu: \(mu), sigma: \(sigma))"
    }
  }
}
