/// A published measurement of one phase of a config (`measured:`): what the phase's step took on
/// the hardware it names, for `clustersim calibrate` to fit and check the step-time model against
/// (docs/validation.md, "Calibration").
public struct MeasuredFigure: Sendable, Hashable {
  /// How the source states the measurement.
  public enum Figure: Sendable, Hashable {
    /// Training tokens per second per GPU (NVIDIA's performance tables).
    case tokensPerSecondPerGPU(Double)
    /// Seconds of one optimizer step over the global batch.
    case stepSeconds(Double)
  }

  /// The phase measured, by name, and its position in the config.
  public var phase: String
  public var phaseIndex: Int
  public var figure: Figure
  /// The model family (`llama3`, `qwen3-moe`, ...): the unit leave-one-family-out holds back.
  public var family: String
  /// Where the figure was published (repository, path and commit, or paper and table).
  public var source: String
  /// The source's own identifier of the row, when it has one; otherwise the phase name.
  public var id: String
  /// Where the entry is written, for messages.
  public var line: Int
  public var column: Int

  public init(
    phase: String, phaseIndex: Int, figure: Figure, family: String, source: String, id: String,
    line: Int = 0, column: Int = 0
  ) {
    self.phase = phase
    self.phaseIndex = phaseIndex
    self.figure = figure
    self.family = family
    self.source = source
    self.id = id
    self.line = line
    self.column = column
  }

  /// The measured seconds of one step of `tokensPerStep` tokens on `gpus` GPUs.
  public func stepSeconds(tokensPerStep: Double, gpus: Int) -> Double {
    switch figure {
    case .stepSeconds(let seconds): seconds
    case .tokensPerSecondPerGPU(let rate): tokensPerStep / (rate * Double(gpus))
    }
  }
}
