import Foundation
import Testing

@testable import ClusterSim

/// The built-in catalog's step-time constants are the fit of the shipped measurements: the fit is
/// rerun from the pre-calibration seed (`clustersim calibrate configs/calibration/ --start seed`)
/// and every fitted value must equal the catalog's to the four significant digits the report
/// prints. When the model changes, this fails until the catalog is refitted: rerun that command
/// and copy its Constants table into `Sources/ClusterSim/Hardware/Efficiency+Fitted.swift`.
@Suite struct CalibratedCatalogTests {
  static let fit: Calibration = {
    let folder = ReferenceConfigTests.repository.appendingPathComponent("configs/calibration")
    let cases = try! MeasurementFiles.cases([folder.path]).cases
    return try! Calibration(cases: cases, start: .seed, heldOut: false)
  }()

  /// Equal to four significant digits: `%.4g` of the fitted value is what the catalog holds.
  static func agrees(_ catalog: Double, _ fitted: Double) -> Bool {
    CalibrationReport.constant(catalog) == CalibrationReport.constant(fitted)
  }

  @Test func everyFittedConstantIsTheCatalogs() throws {
    let fit = Self.fit
    #expect(fit.cases.count == 131)
    var compared = 0
    for plan in fit.plans {
      let chip = try #require(ChipCatalog.builtIn[plan.chip])
      for key in plan.keys {
        let fitted = key.value(in: fit.after[plan.chip]!)
        let held = key.value(in: chip.efficiency)
        #expect(
          Self.agrees(held, fitted),
          "\(plan.chip) \(key.name): the catalog holds \(held), the fit gives \(fitted)")
        compared += 1
      }
    }
    // 28 constants over 7 chips (docs/validation.md, the Constants table).
    #expect(compared == 28)
  }

  /// The fit earns its constants: from the seed its in-sample mean error falls by more than a
  /// third (20.5% to 12.5% when last fitted; docs/validation.md).
  @Test func theFitBeatsTheSeed() {
    let fit = Self.fit
    func mean(_ errors: [Double]) -> Double {
      errors.map(abs).reduce(0, +) / Double(errors.count)
    }
    #expect(mean(fit.afterErrors) < 2.0 / 3 * mean(fit.beforeErrors))
  }

  /// A chip a config adds carries each fitted constant at the mean of the calibrated chips' own
  /// fits (what "its chip left out" measures).
  @Test func anUncalibratedChipCarriesTheOtherChipsMean() {
    let fit = Self.fit
    let keys = Array(Set(fit.plans.flatMap(\.fitted))).sorted()
    let mean = Calibration.borrowed(
      keys, for: "", chips: fit.plans.map { ($0.chip, $0.fitted) }, fitted: fit.after,
      loaded: .seed)
    for key in keys {
      #expect(
        Self.agrees(key.value(in: .uncalibrated), key.value(in: mean)),
        "uncalibrated \(key.name): \(key.value(in: .uncalibrated)) against \(key.value(in: mean))")
    }
  }
}
