import Foundation

/// Generated lengths of one rollout: lognormal with a given coefficient of variation, cut at the
/// maximum length (a sample that reaches it stops there), scaled so that the *cut* lengths have
/// the given mean, the average length a training curve reports (`docs/model.md`, "RL
/// post-training").
public struct LengthDistribution: Sendable, Hashable {
  /// ln L (before the cut) is normal(mu, sigma).
  public var mu: Double
  public var sigma: Double
  /// The maximum length in tokens.
  public var capTokens: Double

  /// The distribution whose cut mean is `meanTokens`, with spread `cv` (standard deviation over
  /// mean before the cut), cut at `capTokens`; nil when the mean is not below the cap.
  public init?(meanTokens: Double, cv: Double, capTokens: Double) {
    guard meanTokens > 0, meanTokens < capTokens, cv > 0 else { return nil }
    let sigma = log(1 + cv * cv).squareRoot()
    self.sigma = sigma
    self.capTokens = capTokens
    // The cut mean grows with mu; bisect on it.
    var low = log(meanTokens) - 10 * sigma - 10
    var high = log(meanTokens) + 10 * sigma + 10
    for _ in 0..<200 {
      let mid = (low + high) / 2
      if Self.cutMean(mu: mid, sigma: sigma, cap: capTokens) < meanTokens {
        low = mid
      } else {
        high = mid
      }
    }
    mu = (low + high) / 2
  }

  /// E[min(cap, L)] = e^(μ+σ²/2)·Φ((ln c − μ − σ²)/σ) + c·(1 − Φ((ln c − μ)/σ)).
  static func cutMean(mu: Double, sigma: Double, cap: Double) -> Double {
    let z = (log(cap) - mu) / sigma
    return exp(mu + sigma * sigma / 2) * Normal.cdf(z - sigma) + cap * (1 - Normal.cdf(z))
  }

  /// The mean of the cut lengths.
  public var meanTokens: Double { Self.cutMean(mu: mu, sigma: sigma, cap: capTokens) }

  /// E[min(c, L)²] = e^(2μ+2σ²)·Φ((ln c − μ − 2σ²)/σ) + c²·(1 − Φ((ln c − μ)/σ)).
  public var secondMomentTokens2: Double {
    let z = (log(capTokens) - mu) / sigma
    return exp(2 * mu + 2 * sigma * sigma) * Normal.cdf(z - 2 * sigma)
      + capTokens * capTokens * (1 - Normal.cdf(z))
  }

  /// P(L > t): the share of samples still generating after t tokens.
  public func survival(_ tokens: Double) -> Double {
    guard tokens < capTokens else { return 0 }
    guard tokens > 0 else { return 1 }
    return Normal.cdf(-(log(tokens) - mu) / sigma)
  }

  /// The draw `u` at and above which the longest of `samples` lengths reaches the cap: F(c)ⁿ,
  /// F the lognormal's CDF before the cut.
  public func capDraw(of samples: Double) -> Double {
    pow(Normal.cdf((log(capTokens) - mu) / sigma), max(1, samples))
  }

  /// The longest of `samples` lengths at the uniform draw `u` in (0, 1]: F⁻¹(u^(1/n)), cut.
  /// (The maximum of n independent draws has CDF Fⁿ.)
  public func longest(of samples: Double, u: Double) -> Double {
    // 1 − u^(1/n), accurately for n in the thousands (a rollout has at least one sample).
    let tail = -expm1(log(u) / max(1, samples))
    guard tail > 0 else { return capTokens }
    let z = -Normal.quantile(tail)
    return min(capTokens, exp(mu + sigma * z))
  }
}

/// The standard normal distribution's CDF and quantile.
enum Normal {
  static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

  /// Φ⁻¹(p) by Acklam's rational approximation (relative error below 1.2e-9), refined by one
  /// Halley step on erfc.
  static func quantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1)
    let a = [
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
    ]
    let b = [
      -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01,
    ]
    let c = [
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
    ]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
      let q = (-2 * log(p)).squareRoot()
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
      let q = p - 0.5
      let r = q * q
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
      let q = (-2 * log(1 - p)).squareRoot()
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let e = cdf(x) - p
    let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    x -= u / (1 + x * u / 2)
    return x
  }
}
