import Foundation
import Testing

/// `check --update` and every output file against hostile files (the 2026-12-07 reports): the
/// update lands on exactly the intended bytes whatever precedes them, refuses (writing nothing,
/// in any file) what it cannot do safely, and a replaced file keeps its mode, links, line ends
/// and byte-order mark; temporaries are never opened through a link, and a killed run's are
/// cleaned by the next.
@Suite struct UpdateSafetyCLITests {
  /// 32 A100 for 24 hours at $1.99 a GPU-hour: $1,528.32 and 768 GPU-hours exactly.
  static let head = """
    cluster:
      pools:
        - {name: a100, chip: A100-SXM4-80GB, nodes: 4, price_per_gpu_hour: 1.99}
    simulation: {seed: 1, replications: 2}

    """

  /// One 24-hour phase on 32 A100 under `expect`.
  static func tune(_ expect: String) -> String {
    head + """
      phases:
        - {name: tune, pool: a100, gpus: 32, hours: 24}
      expect:

      """ + expect
  }

  static func folder() throws -> URL { try CLITests.temporaryDirectory() }

  static func read(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// A flag emoji and a literal e + U+0301 before the values: libyaml counts scalars, so a
  /// Character-indexed updater wrote 11528.32 and 9768.
  @Test func graphemesBeforeTheValue() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text =
      Self.head + """
        phases:
          - {name: "abl🇫🇷", pool: a100, gpus: 32, hours: 24}
          - {name: "abe\u{301}", pool: a100, gpus: 32, hours: 24, depends_on: ["abl🇫🇷"]}
        expect:
          - phases.abl🇫🇷.cost_usd.mean: 1500 ± 0.01%
          - {phases.abe\u{301}.gpu_hours.mean: 999 ± 0.01%}

        """
    let path = try CLITests.write(text, to: "plan.yaml", in: folder)
    let update = try CLITests.run(["check", path, "--update"])
    #expect(update.status == 0, "\(update.stderr)")
    let after = String(decoding: try Self.read(path), as: UTF8.self)
    #expect(
      after
        == text.replacingOccurrences(of: "1500 ± 0.01%", with: "1528.32 ± 0.01%")
        .replacingOccurrences(of: "999 ± 0.01%", with: "768 ± 0.01%"))
    #expect(try CLITests.run(["check", path]).status == 0)
  }

  /// LS, PS and NEL in a quoted note are line breaks to libyaml: the next values are on later
  /// lines than a "\n" split says. The failing value is updated, its neighbours are not.
  @Test func lineSeparatorsEarlierInTheFile() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = Self.tune(
      """
        - path: total.gpu_hours.mean
          value: 768 ± 1%
          known_miss: "pasted:\u{2028}from\u{2029}a\u{85}PDF"
        - total.cost_usd.mean: 1500 ± 0.01%
        - total.cost_usd.p90:  1528.32 ± 20%

      """)
    let path = try CLITests.write(text, to: "plan.yaml", in: folder)
    let update = try CLITests.run(["check", path, "--update"])
    #expect(update.status == 0, "\(update.stderr)")
    #expect(update.stdout.hasSuffix("updated 1 expected value in \(path)\n"))
    let after = String(decoding: try Self.read(path), as: UTF8.self)
    #expect(after == text.replacingOccurrences(of: "1500 ± 0.01%", with: "1528.32 ± 0.01%"))
  }

  /// A folder and a file in it name the file twice: it is checked and updated once.
  @Test func aFileNamedTwiceIsUpdatedOnce() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text =
      Self.head + """
        phases:
          - {name: tune, pool: a100, gpus: 32, hours: 24}
        expect: [{total.cost_usd.mean: 1500 ± 0.01%}, {total.gpu_hours.mean: 700 ± 0.01%}]

        """
    let path = try CLITests.write(text, to: "g.yaml", in: folder)
    let update = try CLITests.run(["check", folder.path, path, "--update", "all"])
    #expect(update.status == 0, "\(update.stderr)")
    #expect(update.stdout.components(separatedBy: "updated ").count == 2)
    let after = String(decoding: try Self.read(path), as: UTF8.self)
    #expect(
      after
        == text.replacingOccurrences(of: "1500 ±", with: "1528.32 ±")
        .replacingOccurrences(of: "700 ±", with: "768 ±"))
  }

  /// Text values are written as YAML that reads back as themselves: a name with ", " in an
  /// order list is quoted, and the file still passes.
  @Test func textValuesAreQuotedWhereYAMLNeedsIt() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text =
      Self.head + """
        phases:
          - {name: "ablation, small", pool: a100, gpus: 32, hours: 24}
          - {name: "b: c", pool: a100, gpus: 32, hours: 1, depends_on: ["ablation, small"]}
        expect:
          - order: ["b: c", "ablation, small"]   # wrong way round

        """
    let path = try CLITests.write(text, to: "plan.yaml", in: folder)
    let update = try CLITests.run(["check", path, "--update"])
    #expect(update.status == 0, "\(update.stderr)")
    let after = String(decoding: try Self.read(path), as: UTF8.self)
    #expect(
      after
        == text.replacingOccurrences(
          of: #"["b: c", "ablation, small"]"#, with: #"["ablation, small", "b: c"]"#))
    #expect(try CLITests.run(["check", path]).status == 0)
  }

  /// An expected value given as an alias would be written into its anchor (a phase's pool):
  /// refused at the alias's line, and no file of the run is written, not even one that could be.
  @Test func anAliasRefusesTheWholeRun() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = Self.tune(
      """
        - total.cost_usd.mean: 1500 ± 0.01%

      """)
    let aliased = Self.tune(
      """
        - total.cost_usd.mean: &c 1500 ± 0.01%
        - total.cost_usd.p50: *c

      """)
    let a = try CLITests.write(good, to: "a.yaml", in: folder)
    let z = try CLITests.write(aliased, to: "z.yaml", in: folder)
    let update = try CLITests.run(["check", a, z, "--update"])
    #expect(update.status == 2)
    #expect(update.stderr.hasPrefix("\(z):9:5: expect[1]: "), "\(update.stderr)")
    #expect(update.stderr.contains("alias"))
    #expect(update.stderr.hasSuffix("clustersim check: nothing was updated\n"))
    #expect(try String(contentsOfFile: a, encoding: .utf8) == good)
    #expect(try String(contentsOfFile: z, encoding: .utf8) == aliased)
  }

  /// CR LF files are updated with their line ends, and a byte-order mark stays.
  @Test func lineEndsAndByteOrderMarkAreKept() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = Self.tune(
      """
        - total.cost_usd.mean: 1500 ± 0.01%   # budget

      """)
    let crlf = Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    let bom = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    for (name, bytes) in [("crlf.yaml", crlf), ("bom.yaml", bom)] {
      let path = folder.appendingPathComponent(name).path
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let update = try CLITests.run(["check", path, "--update"])
      #expect(update.status == 0, "\(name): \(update.stderr)")
      let wanted = String(decoding: bytes, as: UTF8.self).replacingOccurrences(
        of: "1500 ±", with: "1528.32 ±")
      #expect(try Self.read(path) == Array(wanted.utf8), "\(name)")
    }
  }

  /// A replaced file keeps its mode, and a hard-linked one its links; so does an --output file.
  @Test func modeAndHardLinksAreKept() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = Self.tune(
      """
        - total.cost_usd.mean: 1500 ± 0.01%

      """)
    let path = try CLITests.write(text, to: "private.yaml", in: folder)
    let link = folder.appendingPathComponent("link.yaml").path
    #expect(Foundation.link(path, link) == 0)
    #expect(chmod(path, 0o600) == 0)
    let update = try CLITests.run(["check", path, "--update"])
    #expect(update.status == 0, "\(update.stderr)")
    var info = stat()
    #expect(stat(path, &info) == 0)
    #expect(info.st_mode & 0o7777 == 0o600)
    #expect(info.st_nlink == 2)
    #expect(try String(contentsOfFile: link, encoding: .utf8).contains("1528.32 ± 0.01%"))
    let out = try CLITests.write("secret\n", to: "out.txt", in: folder)
    #expect(chmod(out, 0o640) == 0)
    let run = try CLITests.run(["simulate", path, "--output", out])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(stat(out, &info) == 0)
    #expect(info.st_mode & 0o7777 == 0o640)
    #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("ClusterSim:"))
  }

  /// A link planted at the temporary file's name does not redirect the write; a dead run's
  /// temporary is removed by the next run, a live one's (and a link) are left alone.
  @Test func temporariesAreExclusiveAndStaleOnesCleaned() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = CLITests.repository.appendingPathComponent("configs/example.yaml").path
    let victim = try CLITests.write("precious data\n", to: "victim.txt", in: folder)
    let binary = try CLITests.binary.path
    let planted = Process()
    planted.executableURL = URL(fileURLWithPath: "/bin/sh")
    planted.arguments = [
      "-c",
      #"cd "$1" && ln -s victim.txt ".out.txt.$$.tmp" && exec "$2" simulate "$3" --replications 2 --output out.txt"#,
      "sh", folder.path, binary, config,
    ]
    try planted.run()
    planted.waitUntilExit()
    #expect(planted.terminationStatus == 0)
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious data\n")
    let out = folder.appendingPathComponent("out.txt").path
    var info = stat()
    #expect(lstat(out, &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
    // A process that has ended: its pid names a stale temporary.
    let ended = Process()
    ended.executableURL = URL(fileURLWithPath: "/bin/true")
    try ended.run()
    ended.waitUntilExit()
    let stale = try CLITests.write(
      "partial", to: ".out.txt.\(ended.processIdentifier).tmp", in: folder)
    let live = try CLITests.write("a live run's", to: ".out.txt.\(getpid()).tmp", in: folder)
    let run = try CLITests.run(["simulate", config, "--replications", "2", "--output", out])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: live))
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(
      left == [
        ".out.txt.\(getpid()).tmp", ".out.txt.\(planted.processIdentifier).tmp", "out.txt",
        "victim.txt",
      ].sorted())
  }

  /// kill -9 at several moments of a run that writes two files: each target is its old bytes or
  /// a whole new file, never partial; and the next run leaves no temporary behind.
  @Test func killedRunsLeaveNothingTheNextRunKeeps() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = CLITests.repository.appendingPathComponent("configs/bench-reliability.yaml").path
    let out = try CLITests.write("old", to: "out.json", in: folder)
    let trace = try CLITests.write("old", to: "trace.json", in: folder)
    let arguments = [
      "simulate", config, "--replications", "300", "--format", "json", "--output", out,
      "--trace", trace,
    ]
    for delay in [0.05, 0.15, 0.3, 0.6, 1.0, 1.5] {
      let process = Process()
      process.executableURL = try CLITests.binary
      process.arguments = arguments
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      Thread.sleep(forTimeInterval: delay)
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      for path in [out, trace] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
          text == "old" || (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil,
          "\(path) after a kill at \(delay) s")
      }
    }
    let last = try CLITests.run(arguments)
    #expect(last.status == 0, "\(last.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(left == ["out.json", "trace.json"])
  }
}
