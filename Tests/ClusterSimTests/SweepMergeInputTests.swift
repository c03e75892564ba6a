import Foundation
import Testing
import Yams

@testable import ClusterSim

/// Issue 25: `merge` trusts nothing a part file says. Hostile numbers, edited parts and
/// terminal escapes are refused in one line naming the file and the field.
@Suite struct SweepMergeInputTests {
  /// Two real parts of a 4-point sweep (2 GPU counts × 2 prices), as JSON objects.
  static func parts() throws -> [[String: Any]] {
    let root = try ConfigLoader.compose(yaml: SweepInputTests.config, file: "configs/x.yaml")
    let sweep = try SweepInputTests.sweep(
      phase: "1", gpus: [64, 128], ["cluster.pools[h100].price_per_gpu_hour=3,1"])
    let owners = SweepShard.partition(costs: sweep.expectedCosts(replications: 2), shards: 2)
    return try (0..<2).map { shard in
      let assigned = owners.indices.filter { owners[$0] == shard }
      let origin = SweepPart.Origin(
        config: "configs/x.yaml", configDigest: SweepPart.digest(root), phase: sweep.phase,
        axes: sweep.axes.map(\.key), grid: sweep.points, seed: nil, replications: 2, shards: 2)
      var part = SweepPart(origin: origin, shard: shard, assigned: assigned, points: [])
      try sweep.run(assigned, replications: 2) { (index, result) throws(SweepError) in
        part.points.append(SweepPart.Entry(index: index, result: result))
      }
      let object = try JSONSerialization.jsonObject(with: Data(part.encoded().utf8))
      return try #require(object as? [String: Any])
    }
  }

  static func data(_ object: [String: Any]) throws -> Data {
    try JSONSerialization.data(withJSONObject: object)
  }

  /// The merged table of `objects` (each decoded as part-K.json), or the refusal.
  static func merge(_ objects: [[String: Any]]) throws -> Result<String, SweepError> {
    do throws(SweepError) {
      let parts = try objects.enumerated().map { (shard, object) throws(SweepError) in
        let data = (try? Self.data(object)) ?? Data()
        return (
          path: "part-\(shard).json", part: try SweepPart.decode(data, path: "part-\(shard).json")
        )
      }
      return .success(SweepReport(try SweepMerge(parts).result()).render(.table))
    } catch {
      return .failure(error)
    }
  }

  static func edited(_ parts: [[String: Any]], _ edit: (inout [String: Any]) -> Void) -> [[String:
    Any]]
  {
    parts.map { part in
      var part = part
      edit(&part)
      return part
    }
  }

  static func origin(_ key: String, _ value: Any) -> (inout [String: Any]) -> Void {
    { part in
      var origin = part["origin"] as? [String: Any] ?? [:]
      origin[key] = value
      part["origin"] = origin
    }
  }

  static func eachPoint(_ edit: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) ->
    Void
  {
    { part in
      part["points"] = (part["points"] as? [[String: Any]] ?? []).map { entry in
        var entry = entry
        var result = entry["result"] as? [String: Any] ?? [:]
        edit(&result)
        entry["result"] = result
        return entry
      }
    }
  }

  @Test func realPartsMerge() throws {
    let table = try Self.merge(Self.parts()).get()
    #expect(table.contains("4 points, 2 replications each"))
  }

  /// Each edit of `merge-hostile-shards-crash.sh` and `merge-accepts-edited-parts.sh`, and its
  /// siblings: refused naming part-0.json and the field.
  @Test func editedPartsAreRefusedNamingTheField() throws {
    let parts = try Self.parts()
    let esc = "\u{1b}[2J\u{1b}[31mfake\u{1b}[0m\nsecond line"
    let cases: [(String, (inout [String: Any]) -> Void, String)] = [
      (
        "shards -1", Self.origin("shards", -1), "part-0.json: origin.shards: -1; must be 1 to 10000"
      ),
      (
        "shards 1e15", Self.origin("shards", 1_000_000_000_000_000),
        "part-0.json: origin.shards: 1000000000000000; must be 1 to 10000"
      ),
      ("shards 0", Self.origin("shards", 0), "part-0.json: origin.shards: 0; must be 1 to 10000"),
      (
        "version", Self.origin("version", "9.9.9"),
        "part-0.json: origin.version: written by ClusterSim 9.9.9, this is \(ClusterSimVersion.current)"
      ),
      (
        "config ESC", Self.origin("config", esc),
        "part-0.json: origin.config: holds a control character (U+001B)"
      ),
      (
        "phase ESC", Self.origin("phase", "\u{1b}]0;x\u{7}"),
        "part-0.json: origin.phase: holds a control character (U+001B)"
      ),
      (
        "replications", Self.origin("replications", 0),
        "part-0.json: origin.replications: 0; must be 1 to 1000000"
      ),
      (
        "grid values",
        Self.origin(
          "grid",
          (parts[0]["origin"] as? [String: Any])?["grid"].map { grid in
            (grid as? [[String: Any]] ?? []).map { point in point.merging(["values": []]) { $1 } }
          } ?? []),
        "part-0.json: origin.grid[0].values: 0 values for 1 axes"
      ),
      ("shard", { $0["shard"] = 7 }, "part-0.json: shard: 7; must be 0 to 1 for 2 shards"),
      (
        "assigned", { $0["assigned"] = [0, 99] },
        "part-0.json: assigned: not increasing grid positions 0 to 3"
      ),
      (
        "gpus",
        Self.eachPoint { result in
          result["point"] = (result["point"] as? [String: Any] ?? [:]).merging(["gpus": 999_999]) {
            $1
          }
        },
        "part-0.json: points[0].result.point: differs from point"
      ),
      (
        "notes ESC", Self.eachPoint { $0["notes"] = ["\u{1b}[31mred"] },
        "part-0.json: points[0].result.notes[0]: holds a control character (U+001B)"
      ),
    ]
    for (name, edit, expected) in cases {
      let outcome = try Self.merge(Self.edited(parts, edit))
      guard case .failure(let error) = outcome else {
        Issue.record("\(name): merged")
        continue
      }
      #expect(error.description.hasPrefix(expected), "\(name): \(error.description)")
      #expect(!error.description.contains("\n") && !error.description.contains("\u{1b}"), "\(name)")
    }
  }

  /// Bytes that are not a part, nested 200,000 deep or not UTF-8, are refused, not a crash.
  @Test func malformedBytesAreRefused() {
    let nested =
      "{\"origin\":" + String(repeating: "[", count: 200_000)
      + String(repeating: "]", count: 200_000) + "}"
    for data in [Data(nested.utf8), Data([0xFF, 0xFE, 0x7B]), Data()] {
      #expect(
        throws: SweepError(
          flag: "p.json",
          "not a sweep part (clustersim.sweep-part/1) written by clustersim sweep --shard")
      ) { try SweepPart.decode(data, path: "p.json") }
    }
  }

  /// A file larger than any part is refused before it is read whole.
  @Test func oversizedFileIsRefused() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "big-\(UUID().uuidString).json"
    ).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(
      FileManager.default.createFile(
        atPath: path, contents: Data(count: SweepPart.maximumBytes + 1)))
    #expect(throws: SweepError(flag: path, "larger than 64 MB: not a part file clustersim wrote")) {
      try SweepPart.read(path: path)
    }
  }
}
