/// Short, one-line descriptions of layouts for tables and messages.
public enum LayoutText {
  /// "tp 8 pp 4 cp 1 dp 32 ep 8 interleaved v 2 zero 1 recompute selective sp mb 1".
  public static func short(_ layout: ParallelLayout, microbatch: Int? = nil) -> String {
    var parts = ["tp \(layout.tensor)", "pp \(layout.pipeline)"]
    if layout.context > 1 { parts.append("cp \(layout.context)") }
    parts.append("dp \(layout.data)")
    if layout.expert > 1 { parts.append("ep \(layout.expert)") }
    if let etp = layout.expertTensor { parts.append("etp \(etp)") }
    if layout.pipeline > 1 {
      parts.append(layout.schedule.rawValue)
      if layout.schedule == .interleaved { parts.append("v \(layout.virtualStages)") }
    }
    parts.append("zero \(layout.zero)")
    if layout.recompute != .none { parts.append("recompute \(layout.recompute.name)") }
    if layout.sequenceParallel { parts.append("sp") }
    if let microbatch = microbatch ?? layout.microbatch { parts.append("mb \(microbatch)") }
    return parts.joined(separator: " ")
  }
}
