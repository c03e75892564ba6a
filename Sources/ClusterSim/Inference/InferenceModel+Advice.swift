import Foundation

/// What an engine that cannot hold its weights, or one sequence's KV cache, can be changed to:
/// only changes that exist for this model and chip and that do make room, each checked by
/// re-sizing the engine with it (a larger ep for a mixture of experts, a larger tp within a node,
/// fp8 weights where the chip has an fp8 peak, built-in chips with more HBM), and for a sequence
/// the longest that fits.
extension InferenceModel {
  /// Whether this engine holds its weights and, with `sequenceTokens`, one sequence that long.
  func makesRoom(sequenceTokens: Double?) -> Bool {
    guard kvCapacityBytesPerGPU > 0 else { return false }
    return (sequenceTokens ?? 0) * kvBytesPerTokenPerGPU <= kvCapacityBytesPerGPU
  }

  /// This engine with another layout, precision or chip.
  func with(layout: InferenceLayout? = nil, precision: Precision? = nil, chip: Chip? = nil)
    -> InferenceModel
  {
    InferenceModel(
      model: model, layout: layout ?? self.layout, chip: chip ?? self.chip,
      precision: precision ?? self.precision, gpusPerNode: gpusPerNode)
  }

  /// The changes that would make the weights fit under a GPU's usable HBM, or, given
  /// `sequenceTokens`, leave room after them for the KV cache of one sequence that long.
  func memoryAdvice(sequenceTokens: Double? = nil) -> String {
    var changes: [String] = []
    func works(_ changed: InferenceModel) -> Bool {
      changed.layout.problem(model: model, gpusPerNode: gpusPerNode) == nil
        && changed.makesRoom(sequenceTokens: sequenceTokens)
    }
    if model.kind == .moe {
      let larger = (1...8).lazy.map { self.layout.expert << $0 }
        .prefix(while: { $0 <= max(1, self.model.routedExperts) })
        .first { ep in
          var layout = self.layout
          layout.expert = ep
          return works(self.with(layout: layout))
        }
      if let ep = larger { changes.append("ep \(ep)") }
    }
    let tp = stride(from: layout.tensor + 1, through: gpusPerNode, by: 1).first { tp in
      var layout = self.layout
      layout.tensor = tp
      return works(self.with(layout: layout))
    }
    if let tp { changes.append("tp \(tp)") }
    if !precision.isEightBitOrNarrower, chip.peakFLOPS(.fp8) != nil,
      works(with(precision: .fp8))
    {
      let saved = residentWeightBytes * (1 - Precision.fp8.bytesPerValue / precision.bytesPerValue)
      changes.append(
        "fp8 weights (precision: fp8, \(String(format: "%.1f", saved / 1e9)) GB less per GPU)")
    }
    let chips = ChipCatalog.builtIn.chips.filter { $0.hbmGB > chip.hbmGB && works(with(chip: $0)) }
      .map { "\($0.name), \(ConfigValue.format($0.hbmGB)) GB" }
    if !chips.isEmpty {
      changes.append("a chip with more HBM (\(chips.joined(separator: "; ")))")
    }
    if sequenceTokens != nil, kvCapacityBytesPerGPU > 0 {
      let longest = (kvCapacityBytesPerGPU / kvBytesPerTokenPerGPU).rounded(.down)
      changes.append(
        "a shorter generated_tokens.max (a sequence of up to "
          + "\(TextTable.grouped(longest, decimals: 0)) tokens, prompt included, fits here)")
    }
    let limits =
      "tp stays within a node of \(gpusPerNode) GPUs"
      + (model.kind == .moe ? "" : "; ep applies to mixture-of-experts models only")
    guard !changes.isEmpty else { return "no single change of the engine fits it (\(limits))" }
    return "changes that make room: " + changes.joined(separator: ", or ") + " (\(limits))"
  }
}
