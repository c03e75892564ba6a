import Foundation
import ParallelCore

/// `clustersim calibrate`: the step-time constants of each chip fitted to measured phases, with
/// every case's error before and after and its errors when held out (docs/validation.md,
/// "Calibration").
///
/// Constants are per chip (each chip's cases fit only that chip's constants), so each chip is fitted
/// on its own. Held-out errors: a case left out alone, each model family left out, and each chip
/// left out (its constants then set to the other chips' mean of each fitted constant: what a chip
/// with no calibration of its own would carry).
public struct Calibration: Sendable {
  public let cases: [CalibrationCase]
  /// The chips measured, in first-seen order, with the keys fitted for each.
  public let chips: [(name: String, keys: [CalibrationKey])]
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
  /// smallest held-out errors (docs/validation.md, "Calibration over published measurements").
  public static let defaultKeys = ["gemm", "expert_gemm", "moe_layer_overhead_us"]

  /// Fits `fit` (names of `CalibrationKey.names`) for every chip of `cases`.
  public init(cases: [CalibrationCase], fit: [String] = defaultKeys, heldOut: Bool = true)
    throws(CalibrationError)
  {
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
    var chips: [(name: String, keys: [CalibrationKey])] = []
    for name in order {
      let members = byChip[name]!.map { cases[$0] }
      let named = try Self.keys(fit, for: members, chip: name)
      // Only the keys these cases inform are this chip's fitted constants (and written by
      // --output); the others keep their values as loaded.
      let probe = LeastSquaresFit(cases: members, keys: named)
      chips.append(
        (name, named.indices.filter { probe.informed($0, loaded[name]!) }.map { named[$0] }))
    }
    self.chips = chips
    before = loaded
    var fitted: [String: Efficiency] = [:]
    for (name, keys) in chips {
      let members = byChip[name]!.map { cases[$0] }
      fitted[name] = LeastSquaresFit(cases: members, keys: keys).run(from: loaded[name]!)
    }
    after = fitted
    beforeErrors = cases.map { $0.error($0.predictedStepSeconds(loaded[$0.chip.name]!)) }
    afterErrors = cases.map { $0.error($0.predictedStepSeconds(fitted[$0.chip.name]!)) }
    var borrowed: [String: Efficiency] = [:]
    for (name, keys) in chips {
      borrowed[name] = Self.borrowed(
        keys, for: name, chips: chips, fitted: fitted, loaded: loaded[name]!)
    }
    guard heldOut else {
      leaveOneOutErrors = []
      leaveFamilyOutErrors = []
      leaveChipOutErrors = []
      return
    }
    leaveOneOutErrors = Self.heldOut(cases, chips: chips, fitted: fitted, fallback: borrowed) {
      [$0]
    }
    leaveFamilyOutErrors = Self.heldOut(cases, chips: chips, fitted: fitted, fallback: borrowed) {
      index in
      byChip[cases[index].chip.name]!.filter { cases[$0].family == cases[index].family }
    }
    leaveChipOutErrors = cases.map { $0.error($0.predictedStepSeconds(borrowed[$0.chip.name]!)) }
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
    _ cases: [CalibrationCase], chips: [(name: String, keys: [CalibrationKey])],
    fitted: [String: Efficiency], fallback: [String: Efficiency], group: (Int) -> [Int]
  ) -> [Double] {
    var distinct: [[Int]] = []
    var seen: Set<[Int]> = []
    for index in cases.indices {
      let members = group(index)
      if seen.insert(members).inserted { distinct.append(members) }
    }
    let keys = Dictionary(uniqueKeysWithValues: chips.map { ($0.name, $0.keys) })
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
        let refit = LeastSquaresFit(cases: rest, keys: keys[name]!)
          .run(from: fitted[name]!, fallback: fallback[name]!)
        return members.map { cases[$0].error(cases[$0].predictedStepSeconds(refit)) }
      },
      consume: { (g: Int, held: [Double]) in
        for (index, error) in zip(groups[g], held) { errors[index] = error }
      })
    return errors
  }
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
