import Foundation

extension GanttReport {
  /// Grid lines and ticks: hours below the rows, days above them when the window spans two days
  /// or more. The HTML page redraws this group when it zooms.
  func axes(plotHeight: Double) -> [Markup] {
    let low = window.lowerBound
    let high = window.upperBound
    let bottom = Self.top + plotHeight
    var out: [Markup] = []
    let step = SVG.tickStep(span: high - low, target: tickTarget)
    for tick in SVG.ticks(from: low, to: high, step: step) {
      let px = x(tick)
      out.append(SVG.line(x1: px, y1: Self.top, x2: px, y2: bottom, stroke: "#e0e0e0"))
      out.append(SVG.text(
        SVG.tickLabel(tick, step: step, unit: .none), x: px, y: bottom + 16, anchor: "middle"))
    }
    out.append(SVG.text(
      "hours from the start of the program", x: left + plotWidth / 2, y: bottom + 34,
      anchor: "middle"))
    if high - low >= 48 {
      let dayStep = max(1, SVG.tickStep(span: (high - low) / 24, target: tickTarget))
      for day in SVG.ticks(from: low / 24, to: high / 24, step: dayStep) {
        let px = x(day * 24)
        out.append(SVG.line(
          x1: px, y1: Self.top - 10, x2: px, y2: Self.top, stroke: "#888888"))
        out.append(SVG.text(
          "day \(TextTable.grouped(day, decimals: 0))", x: px, y: Self.top - 14, anchor: "middle",
          [("fill", "#555555")]))
      }
    }
    return out
  }

  /// Failure and repair ticks on a row: those falling in the same bin merge into one tick that
  /// counts them. On a phase's row they stand in the gap above its bar, so that even a failure
  /// every pixel (Llama 3 405B's 466 in 60 days) leaves the bar, its restarts and its checkpoint
  /// strip in view; on a pool's row they take its height.
  /// `rowMarks` are the row's marks, in the timeline's order.
  func marks(_ rowMarks: [Timeline.Mark], onPhase: Bool, y: Double, height: Double) -> [Markup] {
    let columns = Double(self.columns)
    let span = window.upperBound - window.lowerBound
    var groups: [(kind: Timeline.Mark.Kind, column: Int, marks: [Timeline.Mark])] = []
    // Where each (kind, column) group is in `groups`, so a mark finds its group in O(1).
    var groupIndex: [String: Int] = [:]
    for mark in rowMarks where window.contains(mark.hours) {
      let bin: Int = Int(saturating: (mark.hours - window.lowerBound) / span * columns)
      let column: Int = Swift.max(0, Swift.min(self.columns - 1, bin))
      let key = "\(mark.kind.rawValue) \(column)"
      if let index = groupIndex[key] {
        groups[index].marks.append(mark)
      } else {
        groupIndex[key] = groups.count
        groups.append((mark.kind, column, [mark]))
      }
    }
    let (top, bottom) = onPhase ? (y, y + 5) : (y + 2, y + height - 3)
    return groups.map { group in
      let first = group.marks[0]
      let px = x(first.hours)
      let color = group.kind == .failure ? Self.failureColor : Self.repairColor
      var label: String
      if group.kind == .failure {
        var counts: [String: Int] = [:]
        for mark in group.marks { counts[mark.component, default: 0] += 1 }
        let parts = counts.keys.sorted().map { counts[$0]! > 1 ? "\($0) ×\(counts[$0]!)" : $0 }
        label =
          group.marks.count == 1
          ? "failure: \(first.component)" : "\(group.marks.count) failures: \(parts.joined(separator: ", "))"
      } else {
        label = group.marks.count == 1 ? "repair" : "\(group.marks.count) repairs"
      }
      let nodes = group.marks.map { String($0.node) }.joined(separator: ", ")
      label += ", node\(group.marks.count == 1 ? "" : "s") \(nodes), at "
      label += TextTable.hours(first.hours)
      if let last = group.marks.last, last.hours > first.hours { label += "–" + TextTable.hours(last.hours) }
      return SVG.line(
        x1: px, y1: top, x2: px, y2: bottom, stroke: color,
        [("stroke-width", group.marks.count > 1 ? "2.5" : "1.5"),
         ("vector-effect", "non-scaling-stroke"), ("class", "mark-\(group.kind.rawValue)")],
        title: label)
    }
  }

  /// The key below the axis, and how far down it reaches.
  func legend(y: Double) -> (markup: [Markup], bottom: Double) {
    let entries: [(String, String)] =
      Timeline.Activity.allCases.map {
        (Self.colors[$0] ?? "#000000", $0.rawValue.replacingOccurrences(of: "_", with: " "))
      } + [
        (Self.checkpointDensityColor, "checkpoint density (strip under the bar)"),
        (Self.failureColor, "failure"),
        (Self.repairColor, "repair"), ("#999999", "queued"),
      ]
    var out: [Markup] = []
    // Under the plot on a wide chart; from the left edge on a narrow one, where it needs the room.
    let start = options.widthPixels >= 900 ? left : 10
    var lx = start
    var ly = y
    for (color, name) in entries {
      let width = 30 + Double(name.count) * 6.8
      if lx + width > Double(options.widthPixels) - Self.right {
        lx = start
        ly += 18
      }
      out.append(SVG.rect(x: lx, y: ly, width: 12, height: 12, fill: color))
      out.append(SVG.text(name, x: lx + 16, y: ly + 10))
      lx += width
    }
    return (out, ly + 12)
  }
}
