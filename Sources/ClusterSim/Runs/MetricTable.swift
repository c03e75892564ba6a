/// A figure the summaries keep for every replication, one of a fixed and ordered set: the order of
/// `allCases` is the order of storage and of every output that lists the metrics.
public protocol SummaryMetric: Hashable, Sendable, CaseIterable where AllCases == [Self] {
  /// Its name in JSON and CSV output: `wall_clock_hours`, `cost_usd_restart`, ...
  var key: String { get }
  /// The cost cause it measures the dollars of, if any: JSON groups those under
  /// `cost_usd_by_cause`.
  var cause: CostCause? { get }
}

extension SummaryMetric {
  public var cause: CostCause? { nil }
}

/// One value per metric of a `SummaryMetric` type, stored in `allCases` order and read or written
/// only by metric: the storage of the running and final summaries of a run.
public struct MetricTable<Metric: SummaryMetric, Value> {
  /// One value per metric, in `Metric.allCases` order.
  private var values: [Value]

  /// Every metric at `value`.
  init(repeating value: Value) {
    values = [Value](repeating: value, count: Metric.allCases.count)
  }

  private init(values: [Value]) {
    self.values = values
  }

  /// The value of `metric`: O(number of metrics), for reports; the per-replication path goes
  /// through `add`, which walks the metrics in order.
  public subscript(metric: Metric) -> Value {
    get { values[Self.position(of: metric)] }
    set { values[Self.position(of: metric)] = newValue }
  }

  /// Every metric with its value, in `Metric.allCases` order.
  public var entries: [(metric: Metric, value: Value)] {
    zip(Metric.allCases, values).map { (metric: $0, value: $1) }
  }

  /// The table of `transform` applied to each value.
  func map<Other>(_ transform: (Value) -> Other) -> MetricTable<Metric, Other> {
    MetricTable<Metric, Other>(values: values.map(transform))
  }

  /// Where `metric` is stored: its place in `Metric.allCases`.
  static func position(of metric: Metric) -> Int {
    guard let position = Metric.allCases.firstIndex(of: metric) else {
      preconditionFailure("\(metric) is not one of \(Metric.self).allCases")
    }
    return position
  }
}

extension MetricTable: Sendable where Value: Sendable {}
extension MetricTable: Equatable where Value: Equatable {}
extension MetricTable: Hashable where Value: Hashable {}

extension MetricTable where Value == RunningStatistic {
  /// Adds one replication's figures: `value(metric)` for each metric, in order.
  @inline(__always)
  mutating func add(_ value: (Metric) -> Double) {
    for (position, metric) in Metric.allCases.enumerated() {
      values[position].add(value(metric))
    }
  }

  /// Appends `other`, the summaries of the replications that follow these.
  mutating func merge(_ other: Self) {
    for position in values.indices { values[position].merge(other.values[position]) }
  }

  /// The final summaries.
  var statistics: MetricTable<Metric, Statistic> { map(\.statistic) }
}
