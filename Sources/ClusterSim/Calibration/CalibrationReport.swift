import Foundation
import Yams

/// How `clustersim calibrate` shows a calibration: every case before, after and held out, the
/// summaries the targets are stated in, and the fitted constants.
public struct CalibrationReport: Sendable {
  public let calibration: Calibration
  /// Measured phases the model cannot build as published, left out of the fit.
  public let excluded: [MeasurementFiles.Excluded]

  public init(_ calibration: Calibration, excluded: [MeasurementFiles.Excluded] = []) {
    self.calibration = calibration
    self.excluded = excluded
  }

  /// Mean absolute error, worst absolute error and mean signed error (bias) of some errors.
  public struct Summary: Sendable, Hashable {
    public var count: Int
    public var meanAbsolute: Double
    public var maximumAbsolute: Double
    public var bias: Double

    public init(_ errors: [Double]) {
      count = errors.count
      meanAbsolute = errors.isEmpty ? 0 : errors.map(abs).reduce(0, +) / Double(errors.count)
      maximumAbsolute = errors.map(abs).max() ?? 0
      bias = errors.isEmpty ? 0 : errors.reduce(0, +) / Double(errors.count)
    }
  }

  /// Summaries of `errors` over all cases and grouped by `group` (chip or family), groups in
  /// first-seen order.
  func grouped(_ errors: [Double], by group: (CalibrationCase) -> String) -> [(String, Summary)] {
    var order: [String] = []
    var members: [String: [Double]] = [:]
    for (item, error) in zip(calibration.cases, errors) {
      let name = group(item)
      if members[name] == nil { order.append(name) }
      members[name, default: []].append(error)
    }
    return order.map { ($0, Summary(members[$0]!)) }
  }

  static func percent(_ value: Double) -> String { String(format: "%+.1f%%", value * 100) }
  static func magnitude(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

  /// The whole report as text.
  public func text() -> String {
    let c = calibration
    var rows: [[String]] = []
    for (index, item) in c.cases.enumerated() {
      rows.append([
        item.figure.id, item.chip.name, item.family, item.precision.name,
        TextTable.grouped(item.measuredTokensPerSecondPerGPU, decimals: 0),
        Self.percent(c.beforeErrors[index]), Self.percent(c.afterErrors[index]),
        Self.percent(c.leaveOneOutErrors[index]), item.memoryRefusal == nil ? "" : "refused",
      ])
    }
    var text =
      "Step time, predicted against measured ((predicted − measured) / measured step seconds; "
      + "negative: the model is too fast)\n\n"
    text += TextTable(
      header: [
        "case", "chip", "family", "precision", "measured tok/s/GPU", "before", "fitted",
        "left out", "memory",
      ],
      rows: rows, rightAligned: [4, 5, 6, 7]
    ).rendered(ruleBeforeLastRow: false)
    text += "\n" + summaryText()
    text += "\n" + constantsText()
    let region = CalibratedRegion(jobs: c.cases.map { ($0.job, $0.chip.name) })
    text +=
      "\nCalibrated region (what the layout search prefers; CalibratedRegion.builtIn holds the shipped one)\n\n"
    text += region.text
    if !excluded.isEmpty {
      text +=
        "\nLeft out of the fit: the model cannot build these as published (\(excluded.count))\n"
      for item in excluded { text += "  \(item.id): \(item.reason)\n" }
    }
    let refused = c.cases.filter { $0.memoryRefusal != nil }
    if !refused.isEmpty {
      text += "\nPublished layouts the memory check refuses (they ran):\n"
      for item in refused {
        text += "  \(item.figure.id): \(item.memoryRefusal!)\n"
      }
    }
    return text
  }

  /// The error summaries: overall, per chip and per family.
  func summaryText() -> String {
    let c = calibration
    let all: [(String, Summary)] = [
      ("before (constants as loaded)", Summary(c.beforeErrors)),
      ("fitted (in sample)", Summary(c.afterErrors)),
      ("each case left out", Summary(c.leaveOneOutErrors)),
      ("its family left out", Summary(c.leaveFamilyOutErrors)),
      ("its chip left out", Summary(c.leaveChipOutErrors)),
    ]
    var text = "Errors over \(c.cases.count) cases\n\n"
    text += TextTable(
      header: ["", "mean |error|", "max |error|", "bias"],
      rows: all.map {
        [
          $0.0, Self.magnitude($0.1.meanAbsolute), Self.magnitude($0.1.maximumAbsolute),
          Self.percent($0.1.bias),
        ]
      },
      rightAligned: [1, 2, 3]
    ).rendered(ruleBeforeLastRow: false)
    for (title, key, out) in [
      ("chip", { (item: CalibrationCase) in item.chip.name }, c.leaveChipOutErrors),
      ("family", { (item: CalibrationCase) in item.family }, c.leaveFamilyOutErrors),
    ] {
      let loo = grouped(c.leaveOneOutErrors, by: key)
      let held = Dictionary(uniqueKeysWithValues: grouped(out, by: key))
      text += "\nBy \(title), each case left out (and the whole \(title) left out)\n\n"
      text += TextTable(
        header: [
          title, "cases", "mean |error|", "max |error|", "bias", "\(title) out: mean", "bias",
        ],
        rows: loo.map { name, summary in
          [
            name, "\(summary.count)", Self.magnitude(summary.meanAbsolute),
            Self.magnitude(summary.maximumAbsolute), Self.percent(summary.bias),
            Self.magnitude(held[name]!.meanAbsolute), Self.percent(held[name]!.bias),
          ]
        },
        rightAligned: [1, 2, 3, 4, 5, 6]
      ).rendered(ruleBeforeLastRow: false)
    }
    return text
  }

  /// The fitted constants, before and after, with the stage that set each (`ChipFitPlan`).
  func constantsText() -> String {
    let c = calibration
    var rows: [[String]] = []
    for plan in c.plans {
      for key in plan.keys {
        let stage =
          plan.dense.contains(key)
          ? "dense cases" : plan.borrowed.contains(key) ? "other chips' dense fits" : "all cases"
        rows.append([
          plan.chip, key.name, Self.constant(key.value(in: c.before[plan.chip]!)),
          Self.constant(key.value(in: c.after[plan.chip]!)), stage,
        ])
      }
    }
    return "Constants\n\n"
      + TextTable(
        header: ["chip", "constant", "as loaded", "fitted", "fitted on"], rows: rows,
        rightAligned: [2, 3]
      )
      .rendered(ruleBeforeLastRow: false)
  }

  /// A constant to four significant digits, as the override file writes it.
  public static func constant(_ value: Double) -> String {
    String(format: "%.4g", value)
  }

  /// The `chips:` override file of the fitted constants, for `include:` (docs/config.md).
  public func overrides(command: String) -> String {
    let c = calibration
    var text = "# Written by `\(command)` (ClusterSim \(ClusterSimVersion.current)).\n"
    text += "# Step-time constants fitted on \(c.cases.count) measured phases; each case left out: "
    let loo = Summary(c.leaveOneOutErrors)
    text +=
      "mean \(Self.magnitude(loo.meanAbsolute)), max \(Self.magnitude(loo.maximumAbsolute)).\n"
    text += "chips:\n"
    for (name, keys) in c.chips where !keys.isEmpty {
      text +=
        "  \(YAMLScalarText.written(name, preferring: .plain, flow: false)):\n    efficiency:\n"
      let gemm = keys.compactMap { key -> (Precision, Double)? in
        guard case .gemm(let precision) = key.field else { return nil }
        return (precision, key.value(in: c.after[name]!))
      }
      if !gemm.isEmpty {
        text +=
          "      gemm: {"
          + gemm.map { "\($0.0.name): \(Self.constant($0.1))" }.joined(separator: ", ") + "}\n"
      }
      for key in keys {
        guard case .scalar = key.field else { continue }
        // In the config's unit (GFLOPs, kFLOPs), as the file is read back.
        let value = EfficiencyKey.named(key.name)!.configValue(in: c.after[name]!)
        text += "      \(key.name): \(Self.constant(value))\n"
      }
    }
    return text
  }
}
