extension Int {
  /// `value` toward zero, clamped to `Int.min...Int.max`, NaN as 0: a conversion that never
  /// traps, for indices and counts computed from doubles that a hostile input may have made
  /// huge, infinite or NaN (`Int(_:)` traps on all three). Callers still clamp to their range.
  init(saturating value: Double) {
    if value.isNaN {
      self = 0
    } else if value >= 9.223_372_036_854_775_807e18 {
      self = .max
    } else if value <= -9.223_372_036_854_775_808e18 {
      self = .min
    } else {
      self.init(value)
    }
  }
}
