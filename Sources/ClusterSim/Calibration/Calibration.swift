import Foundation
import ParallelCore

/// `clustersim calibrate`: the step-time constants of each chip fitted to measured phases, with
/// every case's error before and after and its errors when held out (docs/validation.md,
/// "Calibration").
///
/// Constants are per chip: each chip's cases fit only that chip's constants, in the stages of
/// `ChipFitPlan`; the one link between chips is a `gemm` precision a chip measured only on MoE
/// cases, which it borrows from the other chips' dense fits. Held-out errors: a case left out
/// alone, each model family left out, and each chip left out (its constants then set to the other
/// chips' mean of each fitted constant: what a chip with no calibration of its own would carry,
/// `Efficiency.uncalibrated`).
public struct Calibration: Sendable {
  public let cases: [CalibrationCase]
  /// The chips measured, in first-seen order, with the keys fitted for each.
  public let chips: [(name: String, keys: [CalibrationKey])]
  /// Each chip's staged fit: which keys were fitted on dense cases, borrowed, or fitted on all.
  let plans: [ChipFitPlan]
  /// Each chip's constants as loaded, and as fitted.
  public let before: [String: Efficiency]
  public let after: [String: Efficiency]
  /// Per case, in `cases` order: relative step-time errors (negative: the model is faster).
  public let beforeErrors: [Double]
  public let afterErrors: [Double]
  public let leaveOneOutErrors: [Double]
  public let leaveFamilyOutErrors: [Double]
  public let leaveChipOutErrors: [Double]

  /// The default `--fit`: each measured precision's large-multiply efficiency, the grouped expert
  /// factor and the fixed cost of an MoE layer, per chip: of the sets tried, the one with the
  /// smallest error with each case left out (docs/validation.md, "Calibration over published
  /// measurements").
  public static let defaultKeys = ["gemm", "expert_gemm", "moe_layer_overhead_us"]

  /// Where each chip's fitted keys start.
  public enum Start: String, Sendable, CaseIterable {
    /// The constants as the measurement files load them (the catalog's, or a config's).
    case loaded
    /// The pre-calibration values (`Efficiency.seed`): how the catalog's constants are produced
    /// (`clustersim calibrate configs/calibration/ --start seed`), so that the fit, not the
    /// catalog it would reproduce, decides them.
    case seed
  }

  /// Fits `fit` (names of `CalibrationKey.names`) for every chip of `cases`, starting from
  /// `start`.
  public init(
    cases: [CalibrationCase], fit: [String] = defaultKeys, start: Start = .loaded,
    heldOut: Bool = true
  ) throws(CalibrationError) {
    guard !cases.isEmpty else { throw .noMeasurements }
    self.cases = cases
    var order: [String] = []
    var byChip: [String: [Int]] = [:]
    var loaded: [String: Efficiency] = [:]
    for (index, item) in cases.enumerated() {
      let name = item.chip.name
      if let first = byChip[name]?.first {
        let other = cases[first]
        guard other.chip == item.chip else {
          throw .chipDiffers(name, first: other.file, second: item.file)
        }
      } else {
        order.append(name)
        loaded[name] = item.chip.efficiency
      }
      byChip[name, default: []].append(index)
    }
    var named: [String: [CalibrationKey]] = [:]
    var denseStages: [String: (measured: [CalibrationKey], fitted: [CalibrationKey])] = [:]
    for name in order {
      let members = byChip[name]!.map { cases[$0] }
      named[name] = try Self.keys(fit, for: members, chip: name)
      if start == .seed { loaded[name] = Self.seeded(loaded[name]!) }
      denseStages[name] = ChipFitPlan.denseStage(
        named[name]!, cases: members, loaded: loaded[name]!)
    }
    let plans = order.map { name in
      ChipFitPlan(
        chip: name, named: named[name]!, cases: byChip[name]!.map { cases[$0] },
        loaded: loaded[name]!, denseStage: denseStages[name]!,
        lenders: Set(order.filter { $0 != name }.flatMap { denseStages[$0]!.fitted }))
    }
    self.plans = plans
    chips = plans.map { ($0.chip, $0.keys) }
    before = loaded
    // Stage 1 of every chip first: the borrowed gemm values are other chips' dense fits (a
    // borrowed key always has a lender: `lenders` are those fits' keys).
    var denseFits: [String: Efficiency] = [:]
    for plan in plans {
      denseFits[plan.chip] = plan.fitDense(
        byChip[plan.chip]!.map { cases[$0] }, from: loaded[plan.chip]!)
    }
    var lent: [String: Efficiency] = [:]
    var fitted: [String: Efficiency] = [:]
    for plan in plans {
      var values = loaded[plan.chip]!
      for key in plan.borrowed {
        let sources = plans.filter { $0.chip != plan.chip && $0.dense.contains(key) }
          .map { key.value(in: denseFits[$0.chip]!) }
        key.set(sources.reduce(0, +) / Double(sources.count), in: &values)
      }
      lent[plan.chip] = values
      fitted[plan.chip] = plan.fitRest(
        byChip[plan.chip]!.map { cases[$0] }, after: denseFits[plan.chip]!, borrowedValues: values)
    }
    after = fitted
    beforeErrors = cases.map { $0.error($0.predictedStepSeconds(loaded[$0.chip.name]!)) }
    afterErrors = cases.map { $0.error($0.predictedStepSeconds(fitted[$0.chip.name]!)) }
    var borrowed: [String: Efficiency] = [:]
    let sources = plans.map { ($0.chip, $0.fitted) }
    for plan in plans {
      borrowed[plan.chip] = Self.borrowed(
        plan.keys, for: plan.chip, chips: sources, fitted: fitted, loaded: loaded[plan.chip]!)
    }
    guard heldOut else {
      leaveOneOutErrors = []
      leaveFamilyOutErrors = []
      leaveChipOutErrors = []
      return
    }
    let held = HeldOutInputs(plans: plans, fitted: fitted, lent: lent, fallback: borrowed)
    leaveOneOutErrors = Self.heldOut(cases, held) { [$0] }
    leaveFamilyOutErrors = Self.heldOut(cases, held) { index in
      byChip[cases[index].chip.name]!.filter { cases[$0].family == cases[index].family }
    }
    leaveChipOutErrors = cases.map { $0.error($0.predictedStepSeconds(borrowed[$0.chip.name]!)) }
  }

  /// `efficiency` with every constant `calibrate` can fit at its pre-calibration value
  /// (`Efficiency.seed`), so that a fit from the seed does not depend on the catalog it produces.
  static func seeded(_ efficiency: Efficiency) -> Efficiency {
    var result = efficiency
    result.gemm = Efficiency.seed.gemm
    for scalar in CalibrationKey.scalars {
      let key = CalibrationKey(scalar.name)!
      key.set(key.value(in: .seed), in: &result)
    }
    return result
  }

  /// The constants a chip would carry with no measurement of its own: each fitted key at the mean
  /// of the other chips' fitted values of it; a gemm precision no other chip measured at their mean
  /// gemm of the same width (16-, 8- or 4-bit); else as loaded.
  static func borrowed(
    _ keys: [CalibrationKey], for name: String, chips: [(name: String, keys: [CalibrationKey])],
    fitted: [String: Efficiency], loaded: Efficiency
  ) -> Efficiency {
    var result = loaded
    let others = chips.filter { $0.name != name }
    for key in keys {
      var values = others.filter { $0.keys.contains(key) }.map { key.value(in: fitted[$0.name]!) }
      if values.isEmpty, case .gemm(let precision) = key.field {
        for other in others {
          for otherKey in other.keys {
            guard case .gemm(let p) = otherKey.field, p.bytesPerValue == precision.bytesPerValue
            else { continue }
            values.append(otherKey.value(in: fitted[other.name]!))
          }
        }
      }
      if !values.isEmpty { key.set(values.reduce(0, +) / Double(values.count), in: &result) }
    }
    return result
  }

  /// The keys `fit` names for one chip: `gemm` becomes the gemm of each precision its cases use.
  static func keys(_ fit: [String], for cases: [CalibrationCase], chip: String)
    throws(CalibrationError)
    -> [CalibrationKey]
  {
    var keys: [CalibrationKey] = []
    for name in fit {
      let parts = name.split(separator: "@", maxSplits: 1).map(String.init)
      if parts.count == 2, parts[1] != chip { continue }
      let base = parts.first ?? name
      if base == "gemm" {
        let precisions = Set(cases.map(\.precision)).sorted()
        keys += precisions.map(CalibrationKey.gemm)
      } else if let key = CalibrationKey(base) {
        keys.append(key)
      } else {
        throw .unknownKey(name)
      }
    }
    var seen: Set<CalibrationKey> = []
    return keys.filter { seen.insert($0).inserted }
  }

  /// Each case's error when the cases `group(index)` names (its chip's, itself included) are
  /// refitted without: one refit per distinct group, warm-started from the full fit, on the
  /// project's worker pool with a thread per usable core (each refit is deterministic and the pool
  /// hands results back in order, so the result is too).
  static func heldOut(
    _ cases: [CalibrationCase], _ inputs: HeldOutInputs, group: (Int) -> [Int]
  ) -> [Double] {
    var distinct: [[Int]] = []
    var seen: Set<[Int]> = []
    for index in cases.indices {
      let members = group(index)
      if seen.insert(members).inserted { distinct.append(members) }
    }
    let plans = Dictionary(uniqueKeysWithValues: inputs.plans.map { ($0.chip, $0) })
    let groups = distinct
    var errors = [Double](repeating: 0, count: cases.count)
    let threads = Topology.usableCPUs()
    WorkerPool.run(
      chunks: groups.count, threads: threads,
      topology: .synthetic(nodes: 1, cpusPerNode: threads),
      work: { (g: Int, _: WorkerContext) -> [Double] in
        let members = groups[g]
        let name = cases[members[0]].chip.name
        let held = Set(members)
        let rest = cases.indices.filter { cases[$0].chip.name == name && !held.contains($0) }
          .map { cases[$0] }
        let refit = plans[name]!.fit(
          rest, from: inputs.fitted[name]!, borrowedValues: inputs.lent[name]!,
          fallback: inputs.fallback[name]!)
        return members.map { cases[$0].error(cases[$0].predictedStepSeconds(refit)) }
      },
      consume: { (g: Int, held: [Double]) in
        for (index, error) in zip(groups[g], held) { errors[index] = error }
      })
    return errors
  }
}

/// What a held-out refit needs of the full fit: each chip's plan, its fitted constants (the
/// warm start), the values it borrows, and the chip-out constants for keys the rest leaves
/// uninformed.
struct HeldOutInputs: Sendable {
  let plans: [ChipFitPlan]
  let fitted: [String: Efficiency]
  let lent: [String: Efficiency]
  let fallback: [String: Efficiency]
}

/// Why `clustersim calibrate` cannot run.
public enum CalibrationError: Error, Sendable, CustomStringConvertible {
  case noMeasurements
  case chipDiffers(String, first: String, second: String)
  case unknownKey(String)

  public var description: String {
    switch self {
    case .noMeasurements:
      "no measured phases: give measurement files with a measured: list (docs/validation.md)"
    case .chipDiffers(let chip, let first, let second):
      "chip \(chip) is defined differently in \(first) and \(second); calibrate fits one set of "
        + "constants per chip, so give it the same fields in both"
    case .unknownKey(let name):
      "unknown constant \"\(name)\"; use \(CalibrationKey.names.joined(separator: ", ")), "
        + "each optionally @CHIP"
    }
  }
}
