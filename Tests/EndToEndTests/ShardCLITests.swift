import Foundation
import Testing

/// `clustersim sweep --shard K/N`, `--resume` and `clustersim merge`, through the binary: merged
/// parts give the unsharded sweep's bytes, and a shard killed with SIGKILL mid-sweep keeps every
/// point it finished and, resumed, gives the same bytes.
@Suite struct ShardCLITests {
  static let sweep = [
    "sweep", "configs/bench-reliability.yaml", "--phase", "pretrain",
    "--set", "cluster.pools[h100].spare_nodes=0,1,2,3,4,5,6,7",
  ]

  @Test func mergedShardsEqualTheSweep() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = Self.sweep + ["--replications", "50"]
    let whole = try CLITests.run(arguments)
    #expect(whole.status == 0)
    var parts: [String] = []
    for shard in 0..<3 {
      let part = folder.appendingPathComponent("part-\(shard).json").path
      let run = try CLITests.run(arguments + ["--shard", "\(shard)/3", "--output", part])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stderr.contains("shard \(shard)/3: "))
      parts.append(part)
    }
    let merged = try CLITests.run(["merge"] + parts.reversed())
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(merged.stdout == whole.stdout)
    // Another seed's part does not merge with these.
    let stray = folder.appendingPathComponent("stray.json").path
    _ = try CLITests.run(arguments + ["--shard", "2/3", "--output", stray, "--seed", "5"])
    let refused = try CLITests.run(["merge", parts[0], parts[1], stray])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("seed 5, not the config's"), "\(refused.stderr)")
    #expect(refused.stdout.isEmpty)
  }

  @Test func killedShardResumes() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = Self.sweep + ["--replications", "300"]
    let part = folder.appendingPathComponent("part.json").path
    let process = Process()
    process.executableURL = try CLITests.binary
    process.arguments = arguments + ["--shard", "0/1", "--output", part]
    process.currentDirectoryURL = CLITests.repository
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Kill it once it has written its first point.
    let deadline = Date().addingTimeInterval(120)
    var finished = 0
    while Date() < deadline, process.isRunning {
      if let data = FileManager.default.contents(atPath: part),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let points = json["points"] as? [Any], !points.isEmpty
      {
        finished = points.count
        break
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "the shard finished before it was killed")
    let data = try #require(FileManager.default.contents(atPath: part))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let kept = (json["points"] as? [Any])?.count ?? 0
    #expect(kept >= finished && kept >= 1 && kept < 8, "kept \(kept) of 8 points")
    let resumed = try CLITests.run(arguments + ["--shard", "0/1", "--output", part, "--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("(\(kept) resumed from the file)"), "\(resumed.stderr)")
    let merged = try CLITests.run(["merge", part])
    let whole = try CLITests.run(arguments)
    #expect(merged.stdout == whole.stdout)
    #expect(!whole.stdout.isEmpty)
    // --resume refuses a part of another sweep.
    let other = try CLITests.run(arguments + ["--shard", "0/1", "--output", part, "--resume", "--seed", "2"])
    #expect(other.status != 0)
    #expect(other.stderr.contains("was computed from another config"))
  }
}
