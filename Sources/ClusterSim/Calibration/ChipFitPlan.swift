/// How one chip's constants are fitted, in two stages, so that each constant is learned from the
/// cases that measure what it means (docs/validation.md, "How the fit is staged"):
///
/// 1. **Dense multiplies.** `gemm` of each precision the chip's dense cases (no MoE layer) use is
///    fitted on those cases alone: a dense step is almost all large multiplies, so what it
///    measures is the multiply efficiency itself.
/// 2. **Borrowed.** `gemm` of a precision only MoE cases use on this chip is not fitted on them
///    (there it would absorb whatever the MoE terms lack, e.g. a B200 bf16 `gemm` of 0.25 from one
///    MoE family); it is the mean of the other chips' dense fits of that precision, when some
///    other chip has one.
/// 3. **The rest** (the MoE terms) is fitted on all of the chip's cases, with the stage-1 and
///    borrowed values held. `gemm` of a precision no chip measured dense is never fitted: it keeps
///    the chip's value as loaded, which for a recipe without one of its own is its peak format's
///    (`Efficiency.gemm(for:)`).
///
/// Keys no case informs keep their loaded values (or, held out, the chip-out fallback), and a chip
/// fits no more keys than it has cases (H800's one case fits `expert_gemm` alone).
struct ChipFitPlan: Sendable {
  let chip: String
  /// Stage 1: `gemm` of the precisions the chip's dense cases use.
  let dense: [CalibrationKey]
  /// Stage 2: set to other chips' dense fits, never fitted here.
  let borrowed: [CalibrationKey]
  /// Stage 3: fitted on every case of the chip.
  let rest: [CalibrationKey]

  /// Every key this plan sets, in report order (the fitted ones, then the borrowed).
  var keys: [CalibrationKey] { dense + rest + borrowed }
  /// The keys fitted on this chip's own cases (what another chip may borrow or average).
  var fitted: [CalibrationKey] { dense + rest }

  /// Stage 1 of the plan for the keys `named` over `cases` (all of one chip) from `loaded`: the
  /// gemm keys of the precisions its dense cases use (`measured`), and those of them the dense
  /// cases inform (`fitted`, what other chips may borrow).
  static func denseStage(_ named: [CalibrationKey], cases: [CalibrationCase], loaded: Efficiency)
    -> (measured: [CalibrationKey], fitted: [CalibrationKey])
  {
    let denseCases = cases.filter(\.isDense)
    let densePrecisions = Set(denseCases.map(\.precision))
    let measured = named.filter { key in
      guard case .gemm(let precision) = key.field else { return false }
      return densePrecisions.contains(precision)
    }
    let probe = LeastSquaresFit(cases: denseCases, keys: measured)
    return (measured, measured.indices.filter { probe.informed($0, loaded) }.map { measured[$0] })
  }

  /// The plan for the keys `named` over `cases` (all of one chip) from `loaded`, given its
  /// `denseStage` and the gemm keys other chips fit on their dense cases (`lenders`).
  init(
    chip: String, named: [CalibrationKey], cases: [CalibrationCase], loaded: Efficiency,
    denseStage: (measured: [CalibrationKey], fitted: [CalibrationKey]),
    lenders: Set<CalibrationKey>
  ) {
    self.chip = chip
    dense = denseStage.fitted
    var borrowed: [CalibrationKey] = []
    var rest: [CalibrationKey] = []
    for key in named where !denseStage.measured.contains(key) {
      if case .gemm = key.field {
        // Never fitted on MoE cases: borrowed when some chip fits it dense, else left to the
        // chip's value for the recipe's peak format (`Efficiency.gemm(for:)`).
        if lenders.contains(key) { borrowed.append(key) }
      } else {
        rest.append(key)
      }
    }
    // No more keys than the cases that measure them can determine: the first the --fit list
    // names, up to the number of cases some of them move by 1% (one case fits one constant; dense
    // cases say nothing of the MoE terms).
    let all = LeastSquaresFit(cases: cases, keys: rest)
    let informed = rest.indices.filter { all.informed($0, loaded) }.map { rest[$0] }
    let probe = LeastSquaresFit(cases: cases, keys: informed)
    let measuring = cases.filter { item in
      informed.indices.contains { probe.moves(item, $0, loaded) }
    }
    self.rest = Array(informed.prefix(measuring.count))
    // A borrowed gemm is kept only when the chip's cases depend on it.
    let uses = LeastSquaresFit(cases: cases, keys: borrowed)
    self.borrowed = borrowed.indices.filter { uses.informed($0, loaded) }.map { borrowed[$0] }
  }

  /// Stage 1 on `cases`' dense ones, from `start`; keys they no longer inform (a held-out fit)
  /// take `fallback`'s values.
  func fitDense(_ cases: [CalibrationCase], from start: Efficiency, fallback: Efficiency? = nil)
    -> Efficiency
  {
    LeastSquaresFit(cases: cases.filter(\.isDense), keys: dense).run(
      from: start, fallback: fallback)
  }

  /// Stages 2 and 3 after `fitDense`: the borrowed values from `borrowedValues`, then the rest on
  /// all of `cases`.
  func fitRest(
    _ cases: [CalibrationCase], after dense: Efficiency, borrowedValues: Efficiency,
    fallback: Efficiency? = nil
  ) -> Efficiency {
    var result = dense
    for key in borrowed { key.set(key.value(in: borrowedValues), in: &result) }
    return LeastSquaresFit(cases: cases, keys: rest).run(from: result, fallback: fallback)
  }

  /// The chip's constants fitted on `cases` from `start`, every stage.
  func fit(
    _ cases: [CalibrationCase], from start: Efficiency, borrowedValues: Efficiency,
    fallback: Efficiency? = nil
  ) -> Efficiency {
    fitRest(
      cases, after: fitDense(cases, from: start, fallback: fallback),
      borrowedValues: borrowedValues, fallback: fallback)
  }
}

extension CalibrationCase {
  /// Whether the measured model has no MoE layer.
  var isDense: Bool { job.model.routedExperts == 0 || job.model.moeLayers == 0 }
}
