import Foundation
import Testing

@testable import SimKernel

@Suite struct DistributionTests {
  /// Sample mean and variance of `n` draws.
  func moments(_ distribution: Distribution, n: Int, seed: UInt64) -> (mean: Double, variance: Double) {
    var stream = RandomStream(seed: seed, replication: 0)
    var sum = 0.0
    var squares = 0.0
    for _ in 0..<n {
      let x = distribution.sample(using: &stream)
      sum += x
      squares += x * x
    }
    let mean = sum / Double(n)
    return (mean, squares / Double(n) - mean * mean)
  }

  /// Closed-form means: exponential m; Weibull λΓ(1 + 1/k); lognormal e^(μ + σ²/2).
  @Test func closedFormMeansAndVariances() {
    #expect(Distribution.exponential(mean: 4).mean == 4)
    #expect(Distribution.exponential(mean: 4).variance == 16)
    // Γ(1.5) = √π/2, Γ(2) = 1: Weibull(k = 2, λ = 1) has mean √π/2 and variance 1 − π/4.
    let weibull = Distribution.weibull(shape: 2, scale: 1)
    #expect(abs(weibull.mean - Double.pi.squareRoot() / 2) < 1e-12)
    #expect(abs(weibull.variance - (1 - Double.pi / 4)) < 1e-12)
    let lognormal = Distribution.logNormal(mean: 3, standardDeviation: 2)
    #expect(abs(lognormal.mean - 3) < 1e-12)
    #expect(abs(lognormal.variance - 4) < 1e-12)
  }

  /// Sample means agree with the closed forms within 4 standard errors (σ/√n); with 200,000
  /// draws that is within about 1% for these parameters, so a wrong sampler cannot pass.
  @Test(arguments: [
    Distribution.exponential(mean: 2.5),
    .weibull(shape: 0.7, scale: 10),
    .weibull(shape: 3, scale: 1.5),
    .logNormal(mean: 0.5, standardDeviation: 0.25),
  ])
  func sampleMeansMatchClosedForms(distribution: Distribution) {
    let n = 200_000
    let sample = moments(distribution, n: n, seed: 11)
    let standardError = (distribution.variance / Double(n)).squareRoot()
    #expect(abs(sample.mean - distribution.mean) < 4 * standardError)
    #expect(abs(sample.variance - distribution.variance) / distribution.variance < 0.05)
  }

  /// Weibull with shape 1 is the exponential of mean λ, draw for draw.
  @Test func weibullShapeOneIsExponential() {
    var a = RandomStream(seed: 5, replication: 2)
    var b = RandomStream(seed: 5, replication: 2)
    for _ in 0..<10_000 {
      let weibull = Distribution.weibull(shape: 1, scale: 3).sample(using: &a)
      let exponential = Distribution.exponential(mean: 3).sample(using: &b)
      #expect(weibull == exponential)
    }
  }

  /// The exponential's survival function: P(X > m) = e^-1 within 4 standard errors.
  @Test func exponentialTailProbability() {
    var stream = RandomStream(seed: 9, replication: 0)
    let n = 100_000
    var above = 0
    for _ in 0..<n where Distribution.exponential(mean: 1).sample(using: &stream) > 1 { above += 1 }
    let p = exp(-1.0)
    let standardError = (p * (1 - p) / Double(n)).squareRoot()
    #expect(abs(Double(above) / Double(n) - p) < 4 * standardError)
  }

  @Test func fixedIsConstant() {
    var stream = RandomStream(seed: 1, replication: 0)
    #expect(Distribution.fixed(2.5).sample(using: &stream) == 2.5)
    #expect(Distribution.fixed(2.5).variance == 0)
  }
}
