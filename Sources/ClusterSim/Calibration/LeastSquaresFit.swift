import Foundation

/// Levenberg–Marquardt on the relative errors of step time: the chip's constants that minimise
/// Σ ((predicted − measured) / measured)² over its cases (Marquardt, "An Algorithm for
/// Least-Squares Estimation of Nonlinear Parameters", SIAM J. Appl. Math. 11(2), 1963; the
/// diagonal scaling of Moré, "The Levenberg–Marquardt algorithm: implementation and theory",
/// 1978). Each constant is fitted as its logarithm, so it stays positive, and a fraction of a
/// datasheet figure stays at most 1. The Jacobian is taken by forward differences.
struct LeastSquaresFit {
  let cases: [CalibrationCase]
  let keys: [CalibrationKey]
  /// Iterations at most; each costs (keys + 1) predictions of every case.
  var maximumIterations = 200

  /// Step of the forward differences, in log space (a 0.1% change of the constant).
  static let difference = 1e-3
  /// The smallest value a fitted constant may take.
  static let floor = 1e-4

  /// The constants that fit `cases` best, starting from `start`; keys no case depends on take
  /// their values in `fallback` (a held-out fit must not keep what it learned from the case held
  /// out), or keep their start values when there is none.
  func run(from start: Efficiency, fallback: Efficiency? = nil) -> Efficiency {
    guard !keys.isEmpty else { return start }
    var start = start
    let fitted = keys.indices.filter { informed($0, start) }
    // A key at 0 (a cost not yet counted) starts from its seed: the fit works in logarithms.
    for a in fitted where keys[a].value(in: start) < Self.floor {
      keys[a].set(keys[a].seed, in: &start)
    }
    for (a, key) in keys.enumerated() where !fitted.contains(a) {
      if let fallback { key.set(key.value(in: fallback), in: &start) }
    }
    guard !fitted.isEmpty else { return start }
    return LeastSquaresFit(
      cases: cases, keys: fitted.map { keys[$0] }, maximumIterations: maximumIterations
    ).descend(from: start)
  }

  /// Levenberg–Marquardt from `start` over every key.
  func descend(from start: Efficiency) -> Efficiency {
    var theta = keys.map { log(max(Self.floor, $0.value(in: start))) }
    var current = residuals(theta, start)
    var cost = sumOfSquares(current)
    var lambda = 1e-3
    for _ in 0..<maximumIterations {
      let jacobian = self.jacobian(theta, start, residuals: current)
      let n = keys.count
      var normal = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
      var gradient = [Double](repeating: 0, count: n)
      for (row, r) in zip(jacobian, current) {
        for a in 0..<n {
          gradient[a] += row[a] * r
          for b in 0..<n { normal[a][b] += row[a] * row[b] }
        }
      }
      // A fraction held at its bound of 1 that the descent would push further leaves the step
      // (an active-set bound): clipping it inside a joint step would shrink the others' moves.
      let active = (0..<n).filter {
        normal[$0][$0] > 1e-18 && !(keys[$0].isFraction && theta[$0] >= 0 && gradient[$0] < 0)
      }
      guard !active.isEmpty else { break }
      var improved = false
      for _ in 0..<12 {
        var matrix = active.map { a in active.map { b in normal[a][b] } }
        for (i, a) in active.enumerated() { matrix[i][i] += lambda * normal[a][a] }
        guard let step = Self.solve(matrix, active.map { -gradient[$0] }) else {
          lambda *= 10
          continue
        }
        var trial = theta
        for (i, a) in active.enumerated() { trial[a] = bounded(theta[a] + step[i], key: keys[a]) }
        let trialResiduals = residuals(trial, start)
        let trialCost = sumOfSquares(trialResiduals)
        if trialCost < cost {
          let gain = cost - trialCost
          theta = trial
          current = trialResiduals
          cost = trialCost
          lambda = max(1e-9, lambda / 3)
          improved = gain > 1e-12 * max(cost, 1e-12)
          break
        }
        lambda *= 4
      }
      if !improved { break }
    }
    return efficiency(theta, start)
  }

  /// Whether the cases say something about key `a`: some case's step moves by at least 1% when
  /// the key doubles (from 0, when it moves to its seed). A key that only grazes the cases (the
  /// bf16 router multiply of an FP8 step, say) is not fitted: its least-squares value would be set
  /// by noise and could run to a bound.
  func informed(_ a: Int, _ start: Efficiency) -> Bool {
    cases.contains { moves($0, a, start) }
  }

  /// Whether `item`'s step moves by at least 1% when key `a` doubles from `start` (from 0, when it
  /// moves to its seed).
  func moves(_ item: CalibrationCase, _ a: Int, _ start: Efficiency) -> Bool {
    var moved = start
    let value = keys[a].value(in: start)
    keys[a].set(value > 0 ? 2 * value : keys[a].seed, in: &moved)
    return abs(item.predictedStepSeconds(moved) / item.predictedStepSeconds(start) - 1) >= 0.01
  }

  func efficiency(_ theta: [Double], _ start: Efficiency) -> Efficiency {
    var result = start
    for (key, t) in zip(keys, theta) { key.set(exp(t), in: &result) }
    return result
  }

  func residuals(_ theta: [Double], _ start: Efficiency) -> [Double] {
    let efficiency = efficiency(theta, start)
    return cases.map { $0.error($0.predictedStepSeconds(efficiency)) }
  }

  func jacobian(_ theta: [Double], _ start: Efficiency, residuals: [Double]) -> [[Double]] {
    var rows = [[Double]](
      repeating: [Double](repeating: 0, count: keys.count), count: cases.count)
    for (a, key) in keys.enumerated() {
      var moved = theta
      let h = key.isFraction && theta[a] + Self.difference > 0 ? -Self.difference : Self.difference
      moved[a] += h
      let shifted = self.residuals(moved, start)
      for i in cases.indices { rows[i][a] = (shifted[i] - residuals[i]) / h }
    }
    return rows
  }

  func bounded(_ t: Double, key: CalibrationKey) -> Double {
    let low = log(Self.floor)
    return key.isFraction ? min(0, max(low, t)) : max(low, t)
  }

  func sumOfSquares(_ values: [Double]) -> Double { values.reduce(0) { $0 + $1 * $1 } }

  /// Solves the small dense system `matrix · x = rhs` by Gaussian elimination with partial
  /// pivoting; nil when it is singular.
  static func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double]? {
    var a = matrix
    var b = rhs
    let n = b.count
    for column in 0..<n {
      guard
        let pivot = (column..<n).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }),
        abs(a[pivot][column]) > 1e-300
      else { return nil }
      a.swapAt(column, pivot)
      b.swapAt(column, pivot)
      for row in (column + 1)..<n {
        let factor = a[row][column] / a[column][column]
        guard factor != 0 else { continue }
        for k in column..<n { a[row][k] -= factor * a[column][k] }
        b[row] -= factor * b[column]
      }
    }
    var x = [Double](repeating: 0, count: n)
    for row in stride(from: n - 1, through: 0, by: -1) {
      var sum = b[row]
      for k in (row + 1)..<n { sum -= a[row][k] * x[k] }
      x[row] = sum / a[row][row]
    }
    return x
  }
}
