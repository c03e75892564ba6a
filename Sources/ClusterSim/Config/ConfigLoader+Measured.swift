extension ConfigLoader {
  /// Keys of one `measured:` entry.
  static let measuredKeys = [
    "family", "id", "phase", "release", "source", "step_seconds", "tokens_per_s_per_gpu",
  ]

  /// `measured:`, the published figures of some of the config's phases (docs/validation.md,
  /// "Calibration"): `{phase, tokens_per_s_per_gpu | step_seconds, family, source}` each. The
  /// phase must be one of the config's, measured once.
  static func readMeasured(
    _ value: ConfigValue, phases: [String], _ diagnostics: inout ConfigDiagnostics
  ) -> [MeasuredFigure] {
    guard let items = value.list(&diagnostics) else { return [] }
    var result: [MeasuredFigure] = []
    var seen: Set<String> = []
    for entry in items {
      guard let fields = ConfigMapping(entry, allowedKeys: measuredKeys, diagnostics: &diagnostics),
        let phaseValue = fields.required("phase", &diagnostics),
        let phase = phaseValue.string(&diagnostics),
        let familyValue = fields.required("family", &diagnostics),
        let family = familyValue.string(&diagnostics),
        let sourceValue = fields.required("source", &diagnostics),
        let source = sourceValue.string(&diagnostics, prose: true)
      else { continue }
      guard let index = phases.firstIndex(of: phase) else {
        diagnostics.report(
          phaseValue,
          "no phase is named \"\(phase)\"" + Suggestion.didYouMean(phase, in: phases))
        continue
      }
      guard seen.insert(phase).inserted else {
        diagnostics.report(
          phaseValue, "phase \"\(phase)\" is measured twice; keep one entry per phase")
        continue
      }
      let rate = fields["tokens_per_s_per_gpu"]
      let seconds = fields["step_seconds"]
      let figure: MeasuredFigure.Figure
      switch (rate, seconds) {
      case (let rate?, nil):
        guard let number = rate.positiveNumber(atMost: .tokensPerSecond, &diagnostics) else {
          continue
        }
        figure = .tokensPerSecondPerGPU(number)
      case (nil, let seconds?):
        guard let number = seconds.positiveNumber(atMost: .stepSeconds, &diagnostics) else {
          continue
        }
        figure = .stepSeconds(number)
      default:
        diagnostics.report(
          entry, "give the measurement as exactly one of tokens_per_s_per_gpu or step_seconds")
        continue
      }
      let id = fields["id"].flatMap { $0.string(&diagnostics) } ?? phase
      if let release = fields["release"] { _ = release.string(&diagnostics) }
      result.append(
        MeasuredFigure(
          phase: phase, phaseIndex: index, figure: figure, family: family, source: source, id: id,
          line: entry.line, column: entry.column))
    }
    return result
  }
}
