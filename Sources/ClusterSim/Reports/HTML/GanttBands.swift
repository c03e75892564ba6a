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
    // hours[column * kinds + activity], one flat array: a row is binned for every phase, and an
    // array per column cost an allocation per column per phase.
    let kinds = activities.count
    var hours = [Double](repeating: 0, count: self.columns * kinds)
    for slice in slices {
      let low = max(slice.startHours, startHours)
      let high = min(slice.endHours, self.endHours)
      guard high > low, let kind = activities.firstIndex(of: slice.activity) else { continue }
      let first = max(0, min(self.columns - 1, Int(saturating: (low - startHours) / width)))
      let last = max(first, min(self.columns - 1, Int(saturating: (high - startHours) / width)))
      for column in first...last {
        let edge = startHours + Double(column) * width
        hours[column * kinds + kind] += max(0, min(high, edge + width) - max(low, edge))
      }
    }
    let computeIndex = activities.firstIndex(of: .compute)!
    let checkpointIndex = activities.firstIndex(of: .checkpoint)!
    var shares = [Double](repeating: 0, count: self.columns)
    for column in 0..<self.columns {
      let base = column * kinds
      let busy = hours[base..<base + kinds].reduce(0, +)
      guard busy > 0 else { continue }
      var top = 0
      for kind in activities.indices where hours[base + kind] > hours[base + top] { top = kind }
      Self.extend(&main, activities[top], column, hours[base + top], lastOnly: true)
      for kind in activities.indices
      where kind != top && hours[base + kind] > 0 && Self.rare.contains(activities[kind]) {
        Self.extend(&pauses, activities[kind], column, hours[base + kind], lastOnly: false)
      }
      if top == computeIndex, hours[base + checkpointIndex] > 0 {
        shares[column] = hours[base + checkpointIndex] / busy
      }
    }
    checkpoints = Self.strip(
      shares: shares,
      hours: shares.indices.map { shares[$0] > 0 ? hours[$0 * kinds + checkpointIndex] : 0 })
  }

  /// The checkpoint strip. When writes fall closer together than `denseGapColumns`, each
  /// column's share is averaged over a window of about four gaps, so that a steady cadence draws
  /// as one even band rather than levels aliasing column to column against the bin width; writes
  /// farther apart stay one band each. Levels are shares of the peak, 1 to `levels`.
  static func strip(shares raw: [Double], hours: [Double]) -> [Band] {
    let marked = raw.indices.filter { raw[$0] > 0 }
    guard marked.count > 1 else { return bands(of: raw, hours: hours) }
    let gaps = zip(marked.dropFirst(), marked).map { $0 - $1 }.sorted()
    let gap = gaps[gaps.count / 2]
    guard gap <= denseGapColumns else { return bands(of: raw, hours: hours) }
    let half = 2 * gap
    var prefix = [0.0]
    for share in raw { prefix.append(prefix.last! + share) }
    var smooth = [Double](repeating: 0, count: raw.count)
    for column in marked.first!...marked.last! {
      let low = max(0, column - half)
      let high = min(raw.count, column + half + 1)
      smooth[column] = (prefix[high] - prefix[low]) / Double(high - low)
    }
    return bands(of: smooth, hours: hours)
  }

  /// Checkpoint writes closer together than this many columns are drawn as a smoothed density.
  static let denseGapColumns = 12

  /// Runs of columns at the same level of `shares` (relative to its peak). A run keeps its level
  /// while the share stays within three quarters of a level of that level's middle, so a share
  /// hovering on a boundary does not flicker between two levels.
  static func bands(of shares: [Double], hours: [Double]) -> [Band] {
    let peak = shares.max() ?? 0
    guard peak > 0 else { return [] }
    var out: [Band] = []
    for column in shares.indices where shares[column] > 0 {
      let value = shares[column] / peak * Double(levels)
      let level = min(levels, max(1, Int(saturating: value.rounded(.up))))
      if var last = out.last, last.endColumn == column, abs(value - (Double(last.level) - 0.5)) <= 0.75 {
        last.endColumn += 1
        last.hours += hours[column]
        out[out.count - 1] = last
      } else {
        out.append(Band(
          activity: .checkpoint, firstColumn: column, endColumn: column + 1, hours: hours[column],
          level: level))
      }
    }
    return out
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
