import Foundation
import SimKernel
import Testing
import Yams

@testable import ClusterSim

/// A seeded fuzzer over `sweep`'s flags (`--gpus`, `--set`, `--set-together`, `--phase`) and
/// `merge`'s part files. Flags are strings built from the pieces their syntax uses (dots, ranges,
/// brackets, quotes, huge numbers, control characters); parts are real part files with one field
/// replaced, a number set to an extreme or bytes flipped. Every case must end as success or one
/// `SweepError` line of bounded length with no control character, never a crash, within a time
/// bound; what merges renders with no escape character.
@Suite struct SweepFuzzTests {
  static let pieces = [
    "phases", "cluster", "pools", "simulation", "seed", "gpus", "price_per_gpu_hour", "chips",
    "H100-SXM5-80GB", "efficiency", ".", ".", "[", "]", "[0]", "[\"0\"]", "[h100]", "[\"a]b\"]",
    "\"", "\\", "=", "=", ",", ",", "...", "..", "x", "+", "x2", "+64", "1", "0", "-1", "64", "128",
    "9223372036854775807", "99999999999999999999", "1e308", "\n", "\u{1b}[31m", "\u{0}", " ", "…",
    "auto", "pre.train", "\"1\"", "a]b", "price", "_", "-",
  ]

  /// A flag value of 0 to 12 random pieces.
  static func flag(_ stream: inout RandomStream) -> String {
    (0..<Int(stream.next() % 13)).map { _ in pieces[Int(stream.next() % UInt64(pieces.count))] }
      .joined()
  }

  /// Fails the test unless `error` is one bounded line with no control character.
  static func expectClean(_ error: SweepError, _ input: String) {
    let text = error.description
    let clean = !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    #expect(clean && text.count <= 800, "\(input.debugDescription) → \(text.debugDescription)")
  }

  /// Seconds all sweep-flag cases together may take in a debug build (they take about 2).
  static let flagSeconds = 120.0

  @Test func sweepFlagsEndCleanly() throws {
    let root = try ConfigLoader.compose(yaml: SweepInputTests.config, file: "configs/x.yaml")
    var stream = RandomStream(seed: 25, replication: 0)
    let started = Date()
    var outcomes = (built: 0, refused: 0)
    for _ in 0..<5_000 {
      let gpus =
        stream.next() % 2 == 0
        ? Self.flag(&stream) : ["64,128", "1...4096x2", "64...256+64"][Int(stream.next() % 3)]
      let phase = ["0", "1", "pre.train", "a]b", nil, Self.flag(&stream)][Int(stream.next() % 6)]
      let sets = (0..<Int(stream.next() % 3)).map { _ in
        stream.next() % 2 == 0 ? Self.flag(&stream) : "simulation.seed=" + Self.flag(&stream)
      }
      let together =
        stream.next() % 3 == 0
        ? (0..<Int(stream.next() % 3 + 1)).map { _ in Self.flag(&stream) } : []
      let input = "--gpus \(gpus) --phase \(phase ?? "-") --set \(sets) --set-together \(together)"
      do throws(SweepError) {
        let counts = try SweepAxis.gpuCounts(gpus)
        #expect(
          counts.count <= SweepAxis.maximumPoints
            && counts.allSatisfy { (1...SweepAxis.maximumGPUs).contains($0) })
        var axes = try sets.map { text throws(SweepError) in try SweepAxis(setting: text) }
        if !together.isEmpty { axes += try SweepAxis.together(together) }
        let sweep = try Sweep(
          root: root, file: "configs/x.yaml", phase: phase, gpus: phase == nil ? nil : counts,
          axes: axes)
        #expect(sweep.pointCount <= SweepAxis.maximumPoints)
        // The first point's document can be built (or is refused cleanly).
        if let first = sweep.points.first { _ = try sweep.document(first) }
        outcomes.built += 1
      } catch {
        if error.flag != "CONFIG" { Self.expectClean(error, input) }
        outcomes.refused += 1
      }
    }
    // Both outcomes are exercised: the fuzzer reaches valid sweeps as well as refusals.
    #expect(outcomes.built > 200 && outcomes.refused > 2_000, "\(outcomes)")
    #expect(Date().timeIntervalSince(started) < Self.flagSeconds)
  }

  /// Extreme JSON values a number or string field of a part may be replaced by.
  static var extremes: [Any] {
    [
      -1, 0, 1, 2, 3, 7, 99, 10_001, 1_000_000_000_000_000, Int.max, Int.min, 1e308, -1e308, 0.5,
      "", "inf", "nan", "9.9.9", "\u{1b}[2J", "a\nb", String(repeating: "x", count: 20_000),
      NSNull(),
      [Any](), [String: Any](),
    ]
  }

  /// Every field path of a JSON object, as key lists (list items by position).
  static func fieldPaths(_ value: Any, prefix: [Any] = []) -> [[Any]] {
    if let object = value as? [String: Any] {
      return object.sorted { $0.key < $1.key }.flatMap {
        [prefix + [$0.key]] + fieldPaths($0.value, prefix: prefix + [$0.key])
      }
    }
    if let list = value as? [Any] {
      return list.indices.flatMap { [prefix + [$0]] + fieldPaths(list[$0], prefix: prefix + [$0]) }
    }
    return []
  }

  /// `value` with the field at `path` replaced by `replacement`.
  static func replacing(_ path: ArraySlice<Any>, in value: Any, with replacement: Any) -> Any {
    guard let step = path.first else { return replacement }
    if var object = value as? [String: Any], let key = step as? String, let child = object[key] {
      object[key] = replacing(path.dropFirst(), in: child, with: replacement)
      return object
    }
    if var list = value as? [Any], let index = step as? Int, list.indices.contains(index) {
      list[index] = replacing(path.dropFirst(), in: list[index], with: replacement)
      return list
    }
    return value
  }

  /// Seconds all merge cases together may take in a debug build (they take a few).
  static let mergeSeconds = 120.0

  @Test func mutatedPartsEndCleanly() throws {
    let parts = try SweepMergeInputTests.parts()
    let paths = parts.map { Self.fieldPaths($0) }
    let extremes = Self.extremes
    var stream = RandomStream(seed: 26, replication: 0)
    let started = Date()
    var outcomes = (merged: 0, refused: 0)
    for _ in 0..<2_000 {
      var objects: [Any] = parts
      var datas: [Data] = []
      let target = Int(stream.next() % 2)
      for _ in 0..<Int(stream.next() % 3 + 1) {
        let path = paths[target][Int(stream.next() % UInt64(paths[target].count))]
        let replacement = extremes[Int(stream.next() % UInt64(extremes.count))]
        objects[target] = Self.replacing(path[...], in: objects[target], with: replacement)
      }
      for object in objects {
        datas.append((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
      }
      if stream.next() % 4 == 0, !datas[target].isEmpty {
        // Flip a byte as a disk or an editor might.
        var bytes = [UInt8](datas[target])
        bytes[Int(stream.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: stream.next())
        datas[target] = Data(bytes)
      }
      do throws(SweepError) {
        let decoded = try datas.enumerated().map { (shard, data) throws(SweepError) in
          (path: "part-\(shard).json", part: try SweepPart.decode(data, path: "part-\(shard).json"))
        }
        let result = try SweepMerge(decoded).result()
        for format in [SweepReport.Format.table, .csv, .json] {
          let text = SweepReport(result).render(format)
          #expect(!text.contains("\u{1b}"))
        }
        outcomes.merged += 1
      } catch {
        Self.expectClean(error, "part-\(target)")
        outcomes.refused += 1
      }
    }
    #expect(outcomes.merged > 20 && outcomes.refused > 1_000, "\(outcomes)")
    #expect(Date().timeIntervalSince(started) < Self.mergeSeconds)
  }
}
