import Yams

extension ConfigLoader {
  /// Keys of the mapping form of `recompute:`.
  static let recomputeKeys = ["full_layers", "modules"]

  /// The names `recompute:` takes as a single word.
  enum RecomputeName: String, CaseIterable {
    case none, selective, full
  }

  /// `recompute:` as written (`auto` is the caller's): `none`, `selective` or `full`, or a
  /// mapping with one key, `modules: [NAME, ...]` (Megatron-Core's `recompute_modules`) or
  /// `full_layers: N` (the first N layers of each pipeline chunk recomputed whole).
  static func recompute(_ value: ConfigValue, _ diagnostics: inout ConfigDiagnostics)
    -> Recompute?
  {
    guard value.node.mapping != nil else {
      let named = choice(value, RecomputeName.self, named: "recompute", orAuto: true, &diagnostics)
      return named.map { name in
        switch name {
        case .none: .none
        case .selective: .selective
        case .full: .full
        }
      }
    }
    let issuesBefore = diagnostics.issues.count
    guard let fields = ConfigMapping(value, allowedKeys: recomputeKeys, diagnostics: &diagnostics),
      diagnostics.issues.count == issuesBefore
    else { return nil }
    guard fields.entries.count == 1 else {
      diagnostics.report(
        value,
        "give one of modules or full_layers (Megatron-Core's selective and block recomputation "
          + "do not combine)")
      return nil
    }
    if let layers = fields["full_layers"] {
      return layers.integer(in: 1...100_000, &diagnostics).map { .fullLayers($0) }
    }
    guard let list = fields["modules"]?.list(&diagnostics) else { return nil }
    guard !list.isEmpty else {
      diagnostics.report(
        value, "give at least one module to recompute, or write recompute: none")
      return nil
    }
    var modules = Set<RecomputeModule>()
    var valid = true
    for item in list {
      guard let module = choice(item, RecomputeModule.self, named: "recompute module", &diagnostics)
      else {
        valid = false
        continue
      }
      modules.insert(module)
    }
    return valid ? .modules(modules) : nil
  }
}
