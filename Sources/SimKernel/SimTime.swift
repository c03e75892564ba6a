/// A point on the simulated clock, in hours since the start of the simulation.
///
/// Hours are the natural unit of training programs (phases last hours to months). The raw value is
/// named `hours` so that no caller can mistake it for seconds.
public struct SimTime: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Hours since the start of the simulation.
  public var hours: Double

  /// A time `hours` after the start of the simulation.
  @inlinable public init(hours: Double) {
    self.hours = hours
  }

  /// The start of the simulation.
  public static let zero = SimTime(hours: 0)

  /// A time `seconds` after the start of the simulation.
  @inlinable public static func seconds(_ seconds: Double) -> SimTime {
    SimTime(hours: seconds / 3600)
  }

  /// Seconds since the start of the simulation.
  @inlinable public var seconds: Double { hours * 3600 }

  @inlinable public static func < (lhs: SimTime, rhs: SimTime) -> Bool { lhs.hours < rhs.hours }

  /// This time shifted `hours` later.
  @inlinable public func advanced(byHours hours: Double) -> SimTime {
    SimTime(hours: self.hours + hours)
  }

  public var description: String { "\(hours) h" }
}
