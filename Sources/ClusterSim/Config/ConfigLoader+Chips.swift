import Yams

extension ConfigLoader {
  /// Keys of one chip under `chips:`.
  static let chipKeys = [
    "hbm_gb", "hbm_tb_per_s", "nic_gbps", "nvlink_gb_per_s", "tdp_w", "tflops",
  ]

  /// `chips:`: a mapping from chip name to its fields. A built-in name overrides the fields given;
  /// a new name must give them all.
  static func readChips(
    _ value: ConfigValue, into catalog: inout ChipCatalog, _ diagnostics: inout ConfigDiagnostics
  ) {
    guard case .mapping(let mapping) = value.node else {
      diagnostics.report(
        value, "expected a mapping from chip name to its fields, got \(value.shown)")
      return
    }
    for (keyNode, specNode) in mapping {
      let keyValue = ConfigValue(node: keyNode, path: "chips", fallback: (value.line, value.column))
      guard let name = keyValue.string(&diagnostics) else { continue }
      let spec = ConfigValue(
        node: specNode, path: "chips.\(name)", fallback: (keyValue.line, keyValue.column))
      guard let fields = ConfigMapping(spec, allowedKeys: chipKeys, diagnostics: &diagnostics)
      else { continue }
      let base = catalog[name]
      if base == nil {
        let missing = chipKeys.filter { !fields.has($0) }
        if !missing.isEmpty {
          let known = catalog.chips.map(\.name)
          diagnostics.report(
            spec,
            "new chip \"\(name)\" is missing \(missing.joined(separator: ", ")); give every field, "
              + "or name a built-in chip to override some of its fields"
              + Suggestion.didYouMean(name, in: known))
          continue
        }
      }
      var chip =
        base
        ?? Chip(
          name: name, peakTFLOPS: [:], hbmGB: 0, hbmTBPerS: 0, nvlinkGBPerS: 0, nicGbps: 0,
          tdpWatts: 0)
      var valid = true
      func set(_ key: String, _ apply: (Double) -> Void) {
        guard let field = fields[key] else { return }
        if let number = field.positiveNumber(&diagnostics) { apply(number) } else { valid = false }
      }
      set("hbm_gb") { chip.hbmGB = $0 }
      set("hbm_tb_per_s") { chip.hbmTBPerS = $0 }
      set("nvlink_gb_per_s") { chip.nvlinkGBPerS = $0 }
      set("nic_gbps") { chip.nicGbps = $0 }
      set("tdp_w") { chip.tdpWatts = $0 }
      if let tflops = fields["tflops"] {
        let names = Precision.allCases.map(\.name)
        if let peaks = ConfigMapping(tflops, allowedKeys: names, diagnostics: &diagnostics) {
          if case .mapping(let given) = tflops.node, given.count == 0 {
            diagnostics.report(tflops, "give the dense peak of at least one precision")
            valid = false
          }
          for entry in peaks.entries {
            guard let precision = Precision(rawValue: entry.key),
              let peak = entry.value.positiveNumber(&diagnostics)
            else {
              valid = false
              continue
            }
            chip.peakTFLOPS[precision] = peak
          }
        } else {
          valid = false
        }
      }
      if valid { catalog.upsert(chip) }
    }
  }
}
