/// One replication's whole-program figures, kept per replication when a report draws their
/// distribution (`Simulation.run(..., keepingTotals: true)`, the HTML report's histograms).
public struct ReplicationTotals: Sendable, Hashable {
  public var wallClockHours: Double
  public var costUSD: Double

  public init(wallClockHours: Double, costUSD: Double) {
    self.wallClockHours = wallClockHours
    self.costUSD = costUSD
  }
}
