/// A value that changes over a phase's optimizer steps, given as (step, value) points.
///
/// `linear`: straight lines between points, flat before the first and after the last; two
/// points at one step make a jump (the value before it, then after). `stepwise`: each point's
/// value holds from its step until the next point (a maximum length raised at a step).
public struct StepSchedule: Sendable, Hashable {
  public enum Shape: Sendable, Hashable { case linear, stepwise }

  public var points: [(step: Double, value: Double)]
  public var shape: Shape

  public init(points: [(step: Double, value: Double)], shape: Shape) {
    self.points = points
    self.shape = shape
  }

  /// A value that never changes.
  public static func constant(_ value: Double) -> StepSchedule {
    StepSchedule(points: [(0, value)], shape: .stepwise)
  }

  /// The value at `step`.
  public func value(at step: Double) -> Double {
    guard let first = points.first else { return 0 }
    guard step >= first.step else { return first.value }
    switch shape {
    case .stepwise:
      return points.last { $0.step <= step }?.value ?? first.value
    case .linear:
      guard let next = points.firstIndex(where: { $0.step > step }) else {
        return points[points.count - 1].value
      }
      let a = points[next - 1]
      let b = points[next]
      return a.value + (b.value - a.value) * (step - a.step) / (b.step - a.step)
    }
  }

  /// The largest value anywhere.
  public var maximum: Double { points.map(\.value).max() ?? 0 }

  public static func == (a: StepSchedule, b: StepSchedule) -> Bool {
    a.shape == b.shape && a.points.count == b.points.count
      && zip(a.points, b.points).allSatisfy { $0.step == $1.step && $0.value == $1.value }
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(shape)
    for point in points {
      hasher.combine(point.step)
      hasher.combine(point.value)
    }
  }
}
