/// One measured phase ready to predict: its job with the layout as published, the chip it ran
/// on, and the measured step seconds.
public struct CalibrationCase: Sendable {
  public let figure: MeasuredFigure
  /// The measurement file, as named on the command line.
  public let file: String
  public let job: TrainingJob
  public let chip: Chip
  public let gpusPerNode: Int
  public let measuredStepSeconds: Double
  /// Why the model's memory check refuses this published layout, with the constants as loaded;
  /// nil when it fits. A layout that ran and is refused is a finding about the memory model.
  public let memoryRefusal: String?

  /// The case of `figure` in `program`, or the located reason it cannot be one.
  public init(figure: MeasuredFigure, program: Program) throws(ConfigError) {
    let phase = program.phases[figure.phaseIndex]
    func refuse(_ message: String) -> ConfigError {
      ConfigError(issues: [
        ConfigIssue(
          file: program.source, line: figure.line, column: figure.column, keyPath: "measured",
          message: "phase \"\(figure.phase)\": \(message)")
      ])
    }
    guard case .training(let spec) = phase.work else {
      throw refuse(
        "only a phase described by its model shape can be measured (model, seq_len, global_batch, parallelism)"
      )
    }
    guard let poolIndex = phase.poolIndices.first else { throw refuse("the phase has no pool") }
    let pool = program.pools[poolIndex]
    let layout: ParallelLayout?
    do {
      layout = try spec.layout.fixed(gpus: phase.gpus, globalBatch: spec.globalBatch)
    } catch {
      throw refuse(error.message)
    }
    guard var layout else {
      throw refuse(
        "give the layout as published, every parallelism key: calibration compares the model "
          + "with the layout that was measured, not one it searched")
    }
    // A source that does not give the microbatch gets the fastest that fits, chosen once with the
    // constants as loaded and then held, so the fit moves only the constants.
    if layout.microbatch == nil {
      let job = spec.job(layout: layout, precision: phase.precision)
      let chosen = try? StepTimeModel(job: job, chip: pool.chip, gpusPerNode: pool.gpusPerNode)
        .estimate()
      layout.microbatch = chosen?.microbatch ?? 1
    }
    let job = spec.job(layout: layout, precision: phase.precision)
    let model = StepTimeModel(job: job, chip: pool.chip, gpusPerNode: pool.gpusPerNode)
    do {
      try model.validate()
    } catch {
      throw refuse(error.message)
    }
    self.figure = figure
    file = program.source
    self.job = job
    chip = pool.chip
    gpusPerNode = pool.gpusPerNode
    measuredStepSeconds = figure.stepSeconds(tokensPerStep: job.tokensPerStep, gpus: phase.gpus)
    let estimate = model.estimate(microbatch: layout.microbatch ?? 1)
    do {
      try model.checkMemory(estimate)
      memoryRefusal = nil
    } catch {
      memoryRefusal = error.message
    }
  }

  /// The model's step seconds with `efficiency` in place of the chip's constants.
  public func predictedStepSeconds(_ efficiency: Efficiency) -> Double {
    var chip = chip
    chip.efficiency = efficiency
    let model = StepTimeModel(job: job, chip: chip, gpusPerNode: gpusPerNode)
    return model.estimate(microbatch: job.layout.microbatch ?? 1).stepSeconds
  }

  /// Relative error of a prediction: (predicted − measured) / measured step seconds; negative
  /// means the model is faster than the measurement.
  public func error(_ predictedStepSeconds: Double) -> Double {
    predictedStepSeconds / measuredStepSeconds - 1
  }

  /// Measured training tokens per second per GPU.
  public var measuredTokensPerSecondPerGPU: Double {
    job.tokensPerStep / measuredStepSeconds / Double(job.layout.gpus)
  }

  public var precision: Precision { job.precision }
  public var family: String { figure.family }
}
