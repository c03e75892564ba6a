import Foundation

/// What a sweep varies: the GPUs of one phase, and any config value by its key path, each over a
/// list of values; the grid is their product (`docs/sweeps.md`). Axes paired with `--set-together`
/// (or a config's `sweep.together`) move together: the first values of each, then the second,
/// and so on, one grid dimension between them.
public struct SweepAxis: Sendable, Hashable {
  /// The key path, as written (`cluster.pools[h800].spare_nodes`).
  public var key: String
  public var path: ConfigPath
  /// The values, as written (each becomes a plain YAML scalar: `1.5`, `auto`, `true`).
  public var values: [String]
  /// Whether this axis moves with the axis before it (paired), rather than multiplying the grid.
  public var movesWithPrevious = false

  /// `KEY=V1,V2,...` of `--set` (or of `--set-together`, named by `flag`).
  public init(setting text: String, flag: String = "--set") throws(SweepError) {
    guard let equals = text.firstIndex(of: "=") else {
      throw SweepError(
        flag: flag,
        "expected KEY=V1,V2,... (e.g. cluster.pools[0].spare_nodes=0,2,4), got \(ConfigValue.quoted(text))"
      )
    }
    key = String(text[..<equals])
    path = try ConfigPath(key, flag: flag)
    let named = Self.flag(flag, key)
    let valueText = text[text.index(after: equals)...]
    if let control = ConfigValue.controlCharacter(in: valueText) {
      throw SweepError(
        flag: named,
        "values cannot hold a line break or control character (\(control)): "
          + ConfigValue.quoted(String(valueText)))
    }
    values = valueText.split(separator: ",", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespaces) }
    if values.isEmpty || values.contains(where: \.isEmpty) {
      throw SweepError(flag: named, "give one or more values separated by commas, none empty")
    }
    guard values.count <= Self.maximumPoints else {
      throw SweepError(
        flag: named, "\(values.count) values; a sweep has at most \(Self.maximumPoints) points")
    }
  }

  public init(key: String, path: ConfigPath, values: [String], movesWithPrevious: Bool = false) {
    self.key = key
    self.path = path
    self.values = values
    self.movesWithPrevious = movesWithPrevious
  }

  /// The `KEY=V1,V2,...` arguments of one `--set-together` (or one `sweep.together` group): the
  /// axes, each after the first moving with the one before. Every list must be as long as the
  /// first.
  public static func together(_ texts: [String], flag: String = "--set-together") throws(SweepError)
    -> [SweepAxis]
  {
    guard texts.count >= 2 else {
      throw SweepError(
        flag: flag,
        "pairs two or more KEY=V1,V2,... whose values move together, e.g. "
          + "'cluster.pools[0].chip=H100-SXM5-80GB,B200-SXM-180GB' 'cluster.pools[0].price_per_gpu_hour=2.49,5'"
      )
    }
    var axes: [SweepAxis] = []
    for text in texts {
      var axis = try SweepAxis(setting: text, flag: flag)
      if let first = axes.first {
        guard axis.values.count == first.values.count else {
          throw SweepError(
            flag: Self.flag(flag, axis.key),
            "\(axis.values.count) values, but \(ConfigValue.excerpt(first.key, limit: 60)) has "
              + "\(first.values.count): paired keys need one value each per point")
        }
        axis.movesWithPrevious = true
      }
      axes.append(axis)
    }
    return axes
  }

  /// `FLAG KEY` for an error, the key excerpted (just the key when there is no flag: a config's
  /// sweep block locates its own errors).
  static func flag(_ flag: String, _ key: String) -> String {
    let key = ConfigValue.excerpt(key, limit: 60)
    return flag.isEmpty ? key : "\(flag) \(key)"
  }

  /// The axes in grid dimensions: runs of axes that move together.
  public static func dimensions(_ axes: [SweepAxis]) -> [ArraySlice<SweepAxis>] {
    var dimensions: [ArraySlice<SweepAxis>] = []
    var start = axes.startIndex
    for index in axes.indices.dropFirst() where !axes[index].movesWithPrevious {
      dimensions.append(axes[start..<index])
      start = index
    }
    if start < axes.endIndex { dimensions.append(axes[start...]) }
    return dimensions
  }

  /// The number of points of the grid of `gpus` counts and `axes`, from the sizes alone (the grid
  /// is not built), refused when paired axes differ in length or the product, computed without
  /// overflow, exceeds `maximumPoints`.
  public static func pointCount(gpus: Int?, axes: [SweepAxis]) throws(SweepError) -> Int {
    var count = gpus ?? 1
    for dimension in dimensions(axes) {
      let size = dimension.first?.values.count ?? 1
      if let other = dimension.first(where: { $0.values.count != size }) {
        throw SweepError(
          flag: "--set-together \(ConfigValue.excerpt(other.key, limit: 60))",
          "\(other.values.count) values, but the key it is paired with has \(size)")
      }
      let (product, overflow) = count.multipliedReportingOverflow(by: size)
      guard !overflow, product <= maximumPoints else {
        throw SweepError(
          flag: "--set",
          "the grid would have more than \(TextTable.grouped(Double(maximumPoints), decimals: 0)) points (\(gpus.map { "\($0) GPU counts × " } ?? "")"
            + dimensions(axes).map { "\($0.first?.values.count ?? 1)" }.joined(separator: " × ")
            + "); sweep fewer values, or run several sweeps")
      }
      count = product
    }
    return count
  }

  /// The most points a sweep may have.
  public static let maximumPoints = 10_000
}

extension SweepAxis {
  /// Whether the axis after this one in `axes` moves with it (this axis opens a pair).
  func pairedNext(in axes: [SweepAxis]) -> Bool {
    guard let index = axes.firstIndex(of: self), index + 1 < axes.count else { return false }
    return axes[index + 1].movesWithPrevious
  }

  /// The flag that gave this axis, with its key, for errors: `--set KEY` or `--set-together KEY`.
  func flag(in axes: [SweepAxis]) -> String {
    Self.flag(movesWithPrevious || pairedNext(in: axes) ? "--set-together" : "--set", key)
  }
}
