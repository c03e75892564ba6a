import Testing

@testable import ClusterSim

/// Korthikanti et al. (arXiv 2205.05198), Table 2, on GPT-3 175B: s 2048, h 12,288, a 96, t 8,
/// microbatch 1, for which the paper notes 5as/h = 80 (and 64 for MT-NLG 530B: a 128, h 20,480).
/// sbh = 2048 × 12288 = 25,165,824 bytes; each expected value below is sbh times the table's factor.
@Suite struct ActivationMemoryTests {
  static let sbh = 2048.0 * 12_288

  func gpt3(_ t: Int, sequenceParallel: Bool, _ recompute: Recompute) -> Double {
    ActivationMemory.bytesPerLayer(
      seqLen: 2048, microbatch: 1, hidden: 12_288, heads: 96, tensorParallel: t,
      sequenceParallel: sequenceParallel, recompute: recompute)
  }

  /// What selective recomputation drops is the attention core, 5as/h per sbh: 80 for GPT-3 and
  /// 64 for MT-NLG 530B, the paper's two figures.
  @Test func attentionTermOfThePaper() {
    let gpt3Core = gpt3(1, sequenceParallel: false, .none) - gpt3(1, sequenceParallel: false, .selective)
    #expect(gpt3Core == Self.sbh * 80)
    func mtnlg(_ recompute: Recompute) -> Double {
      ActivationMemory.bytesPerLayer(
        seqLen: 2048, microbatch: 1, hidden: 20_480, heads: 128, recompute: recompute)
    }
    #expect(mtnlg(.none) - mtnlg(.selective) == 2048 * 20_480 * 64)
  }

  @Test func table2Rows() {
    // No parallelism: sbh(34 + 80).
    #expect(gpt3(1, sequenceParallel: false, .none) == Self.sbh * 114)
    // Tensor parallel: sbh(10 + 24/8 + 80/8) = 23 sbh.
    #expect(gpt3(8, sequenceParallel: false, .none) == Self.sbh * 23)
    // Tensor + sequence parallel: sbh(34/8 + 80/8) = 14.25 sbh.
    #expect(gpt3(8, sequenceParallel: true, .none) == Self.sbh * 14.25)
    // Tensor parallel + selective recompute: sbh(10 + 3) = 13 sbh.
    #expect(gpt3(8, sequenceParallel: false, .selective) == Self.sbh * 13)
    // Tensor + sequence parallel + selective recompute: 34/8 sbh = 4.25 sbh (106,954,752 bytes).
    #expect(gpt3(8, sequenceParallel: true, .selective) == 106_954_752)
    // Full recompute: the layer input, 2 sbh = 50,331,648 bytes; under sequence parallelism it is
    // split along the sequence over the 8 ranks: 2 sbh / 8 = 6,291,456 bytes.
    #expect(gpt3(8, sequenceParallel: false, .full) == 50_331_648)
    #expect(gpt3(8, sequenceParallel: true, .full) == 6_291_456)
  }

  /// The paper's headline: sequence parallelism with selective recompute needs 5× less activation
  /// memory than tensor parallelism alone for GPT-3 (23 / 4.25 = 5.4).
  @Test func fiveFoldReduction() {
    let ratio = gpt3(8, sequenceParallel: false, .none) / gpt3(8, sequenceParallel: true, .selective)
    #expect(ratio > 5 && ratio < 5.5)
  }

  /// The per-layer inventory generalised to any shape gives back Table 2 exactly for GPT-3's
  /// layer (GeLU FFN of 4h, multi-head attention, dropout, unfused attention), in every row.
  @Test func generalisedInventoryIsTable2ForGPT() {
    let model = TransformerModel(
      layers: 96, hidden: 12288, heads: 96, vocab: 51200, gatedFFN: false, dropout: true)
    for t in [1, 8] {
      for sequenceParallel in [false, true] {
        for recompute in Recompute.allCases {
          let general = ActivationMemory.bytesPerLayer(
            model: model, moeLayer: false, seqLen: 2048, microbatch: 1, tensorParallel: t,
            sequenceParallel: sequenceParallel, recompute: recompute, attentionKernel: .unfused)
          #expect(general == gpt3(t, sequenceParallel: sequenceParallel, recompute))
        }
      }
    }
  }

  /// Without dropout, with the flash kernel and selective recomputation of norms and
  /// activations, a Llama-style layer (SwiGLU, GQA) stores, per token: layer-norm inputs 4h, Q 2h,
  /// K and V 2 × 2·kvWidth, the output projection's input 2h and SwiGLU's gate and up outputs
  /// 2 × 2·ffn (Llama 3 405B: h = 16384, kvWidth = 1024, ffn = 53248, t = 8 with sequence
  /// parallelism): 4h/8 + (4h + 4·1024 + 4·53248)/8 = 8192 + 8192 + 512 + 26624 = 43,520 bytes.
  @Test func llamaLayerWithFlashAndSelectiveRecompute() {
    let model = TransformerModel(
      layers: 126, hidden: 16384, ffn: 53248, heads: 128, kvHeads: 8, vocab: 128256,
      gatedFFN: true)
    let bytes = ActivationMemory.bytesPerLayer(
      model: model, moeLayer: false, seqLen: 8192, microbatch: 1, tensorParallel: 8,
      sequenceParallel: true, recompute: .selective, attentionKernel: .flash, dropout: false)
    #expect(bytes == 8192 * 43_520)
  }
}
