import Foundation

/// What an engine that cannot hold its weights, or one sequence's KV cache, can be changed to:
/// only the changes that exist for this model and chip (ep for a mixture of experts, tp within a
/// node, fp8 weights where the chip has an fp8 peak, built-in chips with enough HBM).
extension InferenceModel {
  /// The changes that would make the weights fit under a GPU's usable HBM, or, given
  /// `sequenceTokens`, leave room after them for the KV cache of one sequence that long.
  func memoryAdvice(sequenceTokens: Double? = nil) -> String {
    var changes: [String] = []
    if model.kind == .moe {
      changes.append("a larger ep (the routed experts split over more GPUs)")
    }
    let node = gpusPerNode
    if let tp = stride(from: layout.tensor + 1, through: node, by: 1).first(where: {
      model.heads % $0 == 0 && node % $0 == 0
    }) {
      changes.append("tp \(tp) (tp stays within a node of \(node) GPUs)")
    }
    if precision.bytesPerValue > Precision.fp8.bytesPerValue, chip.peakFLOPS(.fp8) != nil {
      let saved = residentWeightBytes * (1 - Precision.fp8.bytesPerValue / precision.bytesPerValue)
      changes.append(
        "fp8 weights (precision: fp8, \(String(format: "%.1f", saved / 1e9)) GB less per GPU)")
    }
    let kvBytes = (sequenceTokens ?? 0) * kvBytesPerTokenPerGPU
    let chips = ChipCatalog.builtIn.chips.filter {
      $0.hbmGB > chip.hbmGB && $0.hbmGB * 1e9 * layout.memoryFraction > residentWeightBytes + kvBytes
    }.map { "\($0.name), \(ConfigValue.format($0.hbmGB)) GB" }
    if !chips.isEmpty {
      changes.append("a chip with more HBM (\(chips.joined(separator: "; ")))")
    }
    if sequenceTokens != nil {
      changes.append("a shorter generated_tokens.max")
    }
    guard !changes.isEmpty else { return "no change of the engine fits it on \(chip.name)" }
    return "changes that make room: " + changes.joined(separator: ", or ")
  }
}
