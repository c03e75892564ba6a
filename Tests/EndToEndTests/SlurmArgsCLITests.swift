import Foundation
import Testing

/// Issue 25: scripts/slurm-sweep.sh's argument handling (`--shards 08`, `--parts -`, a config
/// named `-x.yaml`, a missing value), checked by scripts/test-slurm-args.sh against stub
/// `sbatch`/`squeue` it writes itself, with the binary SwiftPM built: no Slurm daemon needed, so
/// it runs with every `swift test` (and `make test`).
@Suite struct SlurmArgsCLITests {
  @Test func slurmSweepArgumentsAreCheckedWithStubSlurm() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["bash", "scripts/test-slurm-args.sh"]
    process.currentDirectoryURL = CLITests.repository
    process.environment = ProcessInfo.processInfo.environment.merging(
      ["CLUSTERSIM": try CLITests.binary.path]) { $1 }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(stderr)")
    #expect(stdout == "ok: slurm-sweep.sh arguments (14 usage errors, 6 accepted forms)\n")
  }
}
