import Foundation
import Testing

@testable import ClusterSim

/// Issue 14's command-line and output-file cases, each with what a user sees.
@Suite struct RobustnessCLITests {
  @Test func negativeValuesSayTheirRange() throws {
    let replications = try CLITests.run(["simulate", "configs/example.yaml", "--replications", "-1"])
    #expect(replications.status == 2)
    #expect(replications.stderr.hasPrefix("clustersim: --replications must be between 1 and 1000000, got -1\n"))
    let threads = try CLITests.run(["simulate", "configs/example.yaml", "--threads", "-3"])
    #expect(threads.status == 2)
    #expect(threads.stderr.hasPrefix("clustersim: --threads must be between 1 and 4096, got -3\n"))
    let seed = try CLITests.run(["simulate", "configs/example.yaml", "--seed", "-1"])
    #expect(seed.status == 2)
    #expect(seed.stderr.contains("--seed must be a whole number from 0 to 18446744073709551615, got -1"))
  }

  @Test func traceReplicationBeyondTheRunIsRefused() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let trace = folder.appendingPathComponent("t.json").path
    let output = try CLITests.run([
      "simulate", "configs/example.yaml", "--replications", "3", "--trace", trace,
      "--trace-replication", "5",
    ])
    #expect(output.status == 2)
    #expect(output.stderr == "clustersim: --trace-replication: 5 is beyond the run's 3 replications; give 0 to 2\n")
    #expect(!FileManager.default.fileExists(atPath: trace))
  }

  @Test func configFromStandardInputAndPipes() throws {
    let text = try String(contentsOfFile: "\(CLITests.repository.path)/configs/example.yaml", encoding: .utf8)
    let process = Process()
    process.executableURL = try CLITests.binary
    process.arguments = ["simulate", "-", "--replications", "2", "--format", "csv"]
    process.currentDirectoryURL = CLITests.repository
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let fromFile = try CLITests.run(["simulate", "configs/example.yaml", "--replications", "2", "--format", "csv"])
    // The same bytes give the same result; only the config's name differs.
    #expect(
      String(decoding: data, as: UTF8.self)
        == fromFile.stdout.replacingOccurrences(of: "configs/example.yaml", with: "-"))
  }

  /// `explain - --phase NAME` reads standard input once (it used to read it twice, the second
  /// time empty).
  @Test func explainReadsStandardInputOnce() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "'\(try CLITests.binary.path)' explain - --phase ablation < configs/example.yaml"]
    process.currentDirectoryURL = CLITests.repository
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(String(decoding: data, as: UTF8.self).hasPrefix("phase ablation: 32 × A100-SXM4-80GB"))
  }

  @Test func unknownPhaseIsABadArgumentAndVersionPrints() throws {
    let explain = try CLITests.run(["explain", "configs/deepseek-r1.yaml", "--phase", "r1-sfx"])
    #expect(explain.status == 2)
    #expect(
      explain.stderr
        == "clustersim: --phase: no phase named \"r1-sfx\"; did you mean \"r1-sft\"? (phases: prep-30b, r1-zero, r1-cold-start, r1-rl-reasoning, sft-data, r1-sft, r1-rl-all)\n")
    let version = try CLITests.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout == "clustersim \(ClusterSimVersion.current)\n")
  }

  @Test func outputsFollowLinksAndStreamsAndFailBeforeTheRun() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    // A symbolic link is written through: the link stays a link, its target holds the report.
    let target = folder.appendingPathComponent("target.csv").path
    let link = folder.appendingPathComponent("link.csv").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.csv")
    let linked = try CLITests.run(["simulate", "configs/example.yaml", "--replications", "2", "--format", "csv", "--output", link])
    #expect(linked.status == 0)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.csv")
    #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("scope,phase,"))
    // `-` is standard output.
    let dash = try CLITests.run(["simulate", "configs/example.yaml", "--replications", "2", "--format", "csv", "--output", "-"])
    #expect(dash.status == 0 && dash.stdout.hasPrefix("scope,phase,"))
    // A character device is written straight, never replaced.
    let device = try CLITests.run(["simulate", "configs/example.yaml", "--replications", "2", "--output", "/dev/null"])
    #expect(device.status == 0)
    var info = stat()
    #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    // An empty path and a trace in a missing folder fail before the run, writing nothing.
    let empty = try CLITests.run(["simulate", "configs/example.yaml", "--output", ""])
    #expect(empty.status == 1)
    #expect(empty.stderr == "clustersim: cannot write '': the path is empty\n")
    let main = folder.appendingPathComponent("main.json").path
    let missing = try CLITests.run([
      "simulate", "configs/example.yaml", "--output", main, "--trace", "/nonexistent-dir/t.json",
    ])
    #expect(missing.status == 1)
    #expect(missing.stderr == "clustersim: cannot write /nonexistent-dir/t.json: directory /nonexistent-dir does not exist\n")
    #expect(!FileManager.default.fileExists(atPath: main))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["link.csv", "target.csv"])
  }

  /// One run's files are renamed only once all were written: when the second output fails (a
  /// full device), the first is not created and no temporary file is left.
  @Test func aFailedOutputLeavesNothingBehind() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = folder.appendingPathComponent("trace.json").path
    try "old".write(toFile: first, atomically: false, encoding: .utf8)
    #expect(throws: AtomicFile.WriteError.self) {
      try AtomicFile.writeAll([("new", first), ("more", "/dev/full")])
    }
    #expect(try String(contentsOfFile: first, encoding: .utf8) == "old")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["trace.json"])
  }

  /// A named pipe is written in place: the reader gets the report, and the FIFO is still a FIFO.
  @Test func outputToAFIFOIsWrittenInPlace() throws {
    let folder = try CLITests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let reader = Process()
    reader.executableURL = URL(fileURLWithPath: "/bin/cat")
    reader.arguments = [fifo]
    let received = Pipe()
    reader.standardOutput = received
    try reader.run()
    let output = try CLITests.run([
      "simulate", "configs/example.yaml", "--replications", "2", "--format", "csv", "--output", fifo,
    ])
    let data = received.fileHandleForReading.readDataToEndOfFile()
    reader.waitUntilExit()
    #expect(output.status == 0)
    #expect(String(decoding: data, as: UTF8.self).hasPrefix("scope,phase,"))
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["pipe"])
  }
}
