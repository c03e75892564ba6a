import Yams

extension ConfigLoader {
  /// Keys of one chip under `chips:` that a new chip must give.
  static let chipKeys = [
    "hbm_gb", "hbm_tb_per_s", "nic_gbps", "nvlink_gb_per_s", "tdp_w", "tflops",
  ]
  /// Keys of one chip that default when a new chip leaves them out.
  static let optionalChipKeys = ["host_link_gb_per_s", "nvlink_domain_gpus"]
  /// Keys of a chip's `efficiency:` (the step-time model's constants; optional).
  static var efficiencyKeys: [String] {
    (["gemm"] + EfficiencyKey.scalars.map(\.name)).sorted()
  }

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
      guard
        let fields = ConfigMapping(
          spec, allowedKeys: chipKeys + optionalChipKeys + ["efficiency"],
          diagnostics: &diagnostics)
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
      func set(_ key: String, _ bound: ConfigBound, _ apply: (Double) -> Void) {
        guard let field = fields[key] else { return }
        if let number = field.positiveNumber(atMost: bound, &diagnostics) {
          apply(number)
        } else {
          valid = false
        }
      }
      set("hbm_gb", .hbmGB) { chip.hbmGB = $0 }
      set("hbm_tb_per_s", .hbmTBPerS) { chip.hbmTBPerS = $0 }
      set("nvlink_gb_per_s", .nvlinkGBPerS) { chip.nvlinkGBPerS = $0 }
      set("nic_gbps", .nicGbps) { chip.nicGbps = $0 }
      set("tdp_w", .watts) { chip.tdpWatts = $0 }
      set("host_link_gb_per_s", .nvlinkGBPerS) { chip.hostLinkGBPerS = $0 }
      if let field = fields["nvlink_domain_gpus"] {
        let range = 1...Chip.maximumNVLinkDomainGPUs
        if let gpus = field.integer(in: range, &diagnostics) {
          chip.nvlinkDomainGPUs = gpus
        } else {
          valid = false
        }
      }
      if let tflops = fields["tflops"] {
        valid = readPeaks(tflops, into: &chip, &diagnostics) && valid
      }
      if let efficiency = fields["efficiency"] {
        valid = readEfficiency(efficiency, into: &chip.efficiency, &diagnostics) && valid
      }
      if valid { catalog.upsert(chip) }
    }
  }

  /// `chips.NAME.tflops`: dense peaks per peak format. A recipe (`mxfp8`) is refused with the
  /// format whose peak it runs on, since a chip quotes none for the recipe itself.
  static func readPeaks(
    _ tflops: ConfigValue, into chip: inout Chip, _ diagnostics: inout ConfigDiagnostics
  ) -> Bool {
    var valid = true
    // Recipes are let through the key check so that they get their own message below.
    let names = Precision.allCases.map(\.name)
    guard let peaks = ConfigMapping(tflops, allowedKeys: names, diagnostics: &diagnostics) else {
      return false
    }
    if case .mapping(let given) = tflops.node, given.count == 0 {
      diagnostics.report(tflops, "give the dense peak of at least one precision")
      valid = false
    }
    for entry in peaks.entries {
      guard let precision = Precision(rawValue: entry.key) else {
        valid = false
        continue
      }
      guard precision.isPeakFormat else {
        diagnostics.report(
          entry.keyValue,
          "\(precision.name) is a training recipe, not a peak: it runs on the "
            + "\(precision.peakFormat.name) peak, so give that (tflops: {"
            + "\(precision.peakFormat.name): ...}); peaks are "
            + Precision.peakFormats.map(\.name).joined(separator: ", "))
        valid = false
        continue
      }
      guard let peak = entry.value.positiveNumber(atMost: .tflops, &diagnostics) else {
        valid = false
        continue
      }
      chip.peakTFLOPS[precision] = peak
    }
    return valid
  }
}

extension ConfigLoader {
  /// `chips.NAME.efficiency`: overrides of the step-time constants; fractions in (0, 1].
  static func readEfficiency(
    _ value: ConfigValue, into efficiency: inout Efficiency, _ diagnostics: inout ConfigDiagnostics
  ) -> Bool {
    guard let fields = ConfigMapping(value, allowedKeys: efficiencyKeys, diagnostics: &diagnostics)
    else { return false }
    var valid = true
    for key in EfficiencyKey.scalars {
      guard let field = fields[key.name] else { continue }
      valid = key.read(field, into: &efficiency, &diagnostics) && valid
    }
    if let gemm = fields["gemm"] {
      let names = Precision.allCases.map(\.name)
      if let entries = ConfigMapping(gemm, allowedKeys: names, diagnostics: &diagnostics) {
        for entry in entries.entries {
          guard let precision = Precision(rawValue: entry.key),
            let number = entry.value.fraction(&diagnostics)
          else {
            valid = false
            continue
          }
          efficiency.gemm[precision] = number
        }
      } else {
        valid = false
      }
    }
    return valid
  }
}
