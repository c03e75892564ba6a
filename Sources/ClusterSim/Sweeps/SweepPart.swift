import Foundation
import Yams

/// What one shard of a sweep computed, and everything it was computed from
/// (`clustersim sweep --shard K/N --output part-K.json`; `clustersim merge`). Written again,
/// atomically, after every point it finishes, so a killed shard loses nothing it finished and
/// `--resume` continues from the file. Schema `clustersim.sweep-part/1`.
public struct SweepPart: Codable, Sendable, Equatable {
  public static let schema = "clustersim.sweep-part/1"

  /// What the part was computed from: two parts merge only if these are equal.
  public struct Origin: Codable, Sendable, Hashable {
    public var schema = SweepPart.schema
    public var version = ClusterSimVersion.current
    /// The config as given on the command line, and a digest of its composed document.
    public var config: String
    public var configDigest: String
    public var phase: String?
    /// The `--set` keys, and every point of the grid in order.
    public var axes: [String]
    public var grid: [Sweep.Point]
    /// `--seed` and `--replications` as given (nil: the config's at each point).
    public var seed: UInt64?
    public var replications: Int?
    public var shards: Int

    public init(
      config: String, configDigest: String, phase: String?, axes: [String], grid: [Sweep.Point],
      seed: UInt64?, replications: Int?, shards: Int
    ) {
      self.config = config
      self.configDigest = configDigest
      self.phase = phase
      self.axes = axes
      self.grid = grid
      self.seed = seed
      self.replications = replications
      self.shards = shards
    }
  }

  public struct Entry: Codable, Sendable, Hashable {
    /// The point's position in the grid.
    public var index: Int
    public var result: SweepResult.PointResult

    public init(index: Int, result: SweepResult.PointResult) {
      self.index = index
      self.result = result
    }
  }

  public var origin: Origin
  /// This part's shard index, and the grid positions the partition gives it.
  public var shard: Int
  public var assigned: [Int]
  /// The points finished so far, in grid order.
  public var points: [Entry]

  public init(origin: Origin, shard: Int, assigned: [Int], points: [Entry]) {
    self.origin = origin
    self.shard = shard
    self.assigned = assigned
    self.points = points
  }

  public var isComplete: Bool { points.map(\.index) == assigned }

  /// FNV-1a (64 bits) of the composed config document, in hexadecimal: what tells two configs
  /// apart, whatever their file names.
  public static func digest(_ root: Node) -> String {
    let text = (try? Yams.serialize(node: root)) ?? ""
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return String(hash, radix: 16)
  }

  /// The part as JSON (non-finite numbers as strings), one key per line.
  public func encoded() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    // Encoding plain values cannot fail.
    let data = (try? encoder.encode(self)) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The largest part file read: 10,000 points of a few hundred bytes each, with room.
  public static let maximumBytes = 64 << 20

  /// Reads a part file; the error names the file and what is wrong with it. Nothing in the file
  /// is trusted: see `decode(_:path:)`.
  public static func read(path: String) throws(SweepError) -> SweepPart {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw SweepError(flag: path, "cannot read the file")
    }
    defer { try? handle.close() }
    let data: Data
    do {
      data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
    } catch {
      throw SweepError(flag: path, "cannot read the file")
    }
    guard data.count <= maximumBytes else {
      throw SweepError(flag: path, "larger than \(maximumBytes >> 20) MB: not a part file clustersim wrote")
    }
    return try decode(data, path: path)
  }

  /// A part from the bytes of its file, every field checked against what `clustersim sweep
  /// --shard` writes (`validate(path:)`); the error names `path` and the field.
  public static func decode(_ data: Data, path: String) throws(SweepError) -> SweepPart {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let part: SweepPart
    do {
      part = try decoder.decode(SweepPart.self, from: data)
    } catch {
      throw SweepError(flag: path, "not a sweep part (\(SweepPart.schema)) written by clustersim sweep --shard")
    }
    try part.validate(path: path)
    return part
  }
}
