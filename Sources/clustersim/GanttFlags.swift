import ArgumentParser
import ClusterSim
import Foundation

/// How `--gantt` (and the report's Gantt) is drawn: its width and the hours it shows.
struct GanttFlags: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: "Width of the Gantt chart in pixels, 400 to 20,000, labels included.")
  var ganttWidth: Int = 1200

  @Option(
    help: "The hours the Gantt chart shows, START..END from the start of the program, e.g. 100..250 (days with d: 5d..9d; default: the whole run).")
  var ganttWindow: String?

  func validate() throws {
    guard GanttOptions.widths.contains(ganttWidth) else {
      throw ValidationError("--gantt-width must be between 400 and 20,000 pixels, got \(ganttWidth)")
    }
    _ = try window()
  }

  /// `--gantt-window` read as hours.
  func window() throws -> ClosedRange<Double>? {
    guard let text = ganttWindow else { return nil }
    let ends = text.components(separatedBy: "..")
    func hours(_ part: String) -> Double? {
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      if trimmed.hasSuffix("d"), let days = Double(trimmed.dropLast()) { return days * 24 }
      return Double(trimmed)
    }
    // At least a second wide: a narrower window has no ticks to draw.
    guard ends.count == 2, let low = hours(ends[0]), let high = hours(ends[1]), low.isFinite,
      high.isFinite, low >= 0, high - low >= 1.0 / 3600
    else {
      throw ValidationError(
        "--gantt-window must be START..END in hours (or days with d), 0 ≤ START < END, at least a second apart, e.g. 100..250 or 5d..9d; got \(text)")
    }
    return low...high
  }

  /// Refuses a window that starts after the drawn replication ended (it would draw nothing).
  func check(endHours: Double) throws {
    if let problem = try options().windowProblem(endHours: endHours) {
      throw FlagError(flag: "--gantt-window", "\(ganttWindow ?? "") \(problem)")
    }
  }

  /// The options, `columnsPerPixel` bins per pixel.
  func options(columnsPerPixel: Int = 1) throws -> GanttOptions {
    GanttOptions(widthPixels: ganttWidth, window: try window(), columnsPerPixel: columnsPerPixel)
  }
}
