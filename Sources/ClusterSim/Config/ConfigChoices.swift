/// The named choices a config may make, each a raw-value enum read by one helper
/// (`ConfigLoader.choice`), so an unknown name always gets the same located message with the
/// nearest valid one suggested.
extension ConfigLoader {
  /// One of an enumeration's raw values, with the nearest valid one suggested: "unknown
  /// `noun` "x"; did you mean "y"? (one of: a, b, c)".
  static func choice<T: RawRepresentable & CaseIterable>(
    _ value: ConfigValue, _ type: T.Type, named noun: String = "value", orAuto: Bool = false,
    _ diagnostics: inout ConfigDiagnostics
  ) -> T? where T.RawValue == String {
    guard let text = value.string(&diagnostics) else { return nil }
    if let parsed = T(rawValue: text) { return parsed }
    let names = T.allCases.map(\.rawValue) + (orAuto ? ["auto"] : [])
    diagnostics.report(
      value,
      "unknown \(noun) \"\(text)\"\(Suggestion.didYouMean(text, in: names)) "
        + "(one of: \(names.joined(separator: ", ")))")
    return nil
  }
}

/// `ffn_activation`: two FFN matrices (GeLU) or three (SwiGLU).
enum FFNActivation: String, CaseIterable {
  case gelu, swiglu
}

/// `failures.components[].distribution`: the law of a component's time to failure.
enum FailureLaw: String, CaseIterable {
  case exponential, weibull
}

/// `repair` of a failure component and `distribution` of generated job durations: a law of
/// hours given by its mean (and, for lognormal, its standard deviation).
enum HoursLaw: String, CaseIterable {
  case fixed, exponential, lognormal
}

/// `cost.model`: how a pool's GPUs are paid for (`docs/cost.md`).
enum CostModelKind: String, CaseIterable {
  case rental, reserved, owned
}
