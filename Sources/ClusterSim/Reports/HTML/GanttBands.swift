/// One Gantt row's slices binned into pixel columns, so that a run of thousands of slices draws
/// as a few rectangles: runs of columns with the same main activity merge into one band, rare
/// pauses (restarts, repair waits, maintenance) stay visible as marks at least one column wide,
/// and checkpoint writes too short to draw become a density strip.
struct GanttBands: Sendable, Hashable {
  /// Consecutive columns drawn alike.
  struct Band: Sendable, Hashable {
    var activity: Timeline.Activity
    var firstColumn: Int
    /// One past the last column.
    var endColumn: Int
    /// Hours of the activity inside the band.
    var hours: Double
    /// For the checkpoint strip: the band's share of checkpoint time, 1 to `levels`.
    var level: Int = 0
  }

  /// Columns across the window.
  let columns: Int
  let startHours: Double
  let endHours: Double
  /// The main bar: per run of columns, the activity that took most of each column's time.
  private(set) var main: [Band] = []
  /// Restarts, repair waits and maintenance in columns some other activity took most of.
  private(set) var pauses: [Band] = []
  /// Checkpoint writes in columns compute took most of, by level of their share of the column.
  private(set) var checkpoints: [Band] = []

  static let levels = 4
  static let rare: Set<Timeline.Activity> = [.restart, .waitForRepair, .maintenance]

  /// Bins `slices` (one row's, in time order or not) over [startHours, endHours] into `columns`.
  init(slices: [Timeline.Slice], startHours: Double, endHours: Double, columns: Int) {
    self.columns = max(1, columns)
    self.startHours = startHours
    self.endHours = max(endHours, startHours + 1e-12)
    let activities = Timeline.Activity.allCases
    let width = (self.endHours - startHours) / Double(self.columns)
    // hours[column][activity]
    var hours = [[Double]](
      repeating: [Double](repeating: 0, count: activities.count), count: self.columns)
    for slice in slices {
      let low = max(slice.startHours, startHours)
      let high = min(slice.endHours, self.endHours)
      guard high > low, let kind = activities.firstIndex(of: slice.activity) else { continue }
      let first = min(self.columns - 1, Int((low - startHours) / width))
      let last = min(self.columns - 1, Int((high - startHours) / width))
      for column in first...last {
        let edge = startHours + Double(column) * width
        hours[column][kind] += max(0, min(high, edge + width) - max(low, edge))
      }
    }
    let computeIndex = activities.firstIndex(of: .compute)!
    let checkpointIndex = activities.firstIndex(of: .checkpoint)!
    var peakShare = 0.0
    var shares = [Double](repeating: 0, count: self.columns)
    for column in 0..<self.columns {
      let busy = hours[column].reduce(0, +)
      guard busy > 0 else { continue }
      var top = 0
      for kind in activities.indices where hours[column][kind] > hours[column][top] { top = kind }
      Self.extend(&main, activities[top], column, hours[column][top], lastOnly: true)
      for kind in activities.indices
      where kind != top && hours[column][kind] > 0 && Self.rare.contains(activities[kind]) {
        Self.extend(&pauses, activities[kind], column, hours[column][kind], lastOnly: false)
      }
      if top == computeIndex, hours[column][checkpointIndex] > 0 {
        shares[column] = hours[column][checkpointIndex] / busy
        peakShare = max(peakShare, shares[column])
      }
    }
    for column in 0..<self.columns where shares[column] > 0 {
      let level = max(1, Int((shares[column] / peakShare * Double(Self.levels)).rounded(.up)))
      let hoursHere = shares[column] * hours[column].reduce(0, +)
      if var last = checkpoints.last, last.endColumn == column, last.level == level {
        last.endColumn += 1
        last.hours += hoursHere
        checkpoints[checkpoints.count - 1] = last
      } else {
        checkpoints.append(
          Band(
            activity: .checkpoint, firstColumn: column, endColumn: column + 1, hours: hoursHere,
            level: min(level, Self.levels)))
      }
    }
  }

  /// Appends `column` to the band of `activity` that ends there (only the last band when
  /// `lastOnly`, as in the main bar, whose bands never overlap), else starts a band.
  private static func extend(
    _ bands: inout [Band], _ activity: Timeline.Activity, _ column: Int, _ hours: Double,
    lastOnly: Bool
  ) {
    let index =
      lastOnly
      ? (bands.last?.activity == activity ? bands.count - 1 : nil)
      : bands.lastIndex { $0.activity == activity }
    if let index, bands[index].endColumn == column {
      bands[index].endColumn += 1
      bands[index].hours += hours
      return
    }
    bands.append(Band(activity: activity, firstColumn: column, endColumn: column + 1, hours: hours))
  }

  /// Hours from the start of the window to the left edge of `column`.
  func hours(atColumn column: Int) -> Double {
    startHours + Double(column) * (endHours - startHours) / Double(columns)
  }
}
