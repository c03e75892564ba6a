import Foundation
import Testing

@testable import ParallelCore

/// The worker pool: every chunk once, results in order, stealing, clean failure.
@Suite struct WorkerPoolTests {
  /// A thread-safe log of which worker ran which chunk.
  final class Log: @unchecked Sendable {
    let lock = NSLock()
    var runs: [Int: [Int]] = [:]

    func record(_ chunk: Int, node: Int) {
      lock.lock()
      runs[chunk, default: []].append(node)
      lock.unlock()
    }
  }

  struct Failure: Error, Equatable { var chunk: Int }

  @Test func topologySpecs() {
    let topology = Topology.parse("2x4")
    #expect(topology?.nodes.map(\.cpus) == [[0, 1, 2, 3], [4, 5, 6, 7]])
    #expect(topology?.source == .synthetic)
    #expect(Topology.parse("1X2")?.nodes.count == 1)
    for bad in ["", "2", "2x", "x4", "0x4", "2x0", "2x4x1", "two x four", "2000x1"] {
      #expect(Topology.parse(bad) == nil, "\(bad)")
    }
  }

  /// Threads spread over nodes by their CPUs; chunks split into contiguous ranges by workers.
  @Test func placement() {
    let twoByFour = Topology.synthetic(nodes: 2, cpusPerNode: 4)
    #expect(WorkerPool.workersPerNode(threads: 7, topology: twoByFour) == [4, 3])
    #expect(WorkerPool.workersPerNode(threads: 1, topology: twoByFour) == [1, 0])
    #expect(WorkerPool.ranges(chunks: 100, workersPerNode: [4, 3]) == [0..<57, 57..<100])
    #expect(WorkerPool.ranges(chunks: 5, workersPerNode: [1, 0]) == [0..<5, 5..<5])
  }

  /// 500 chunks on 7 workers over 2 synthetic nodes: each runs exactly once, and the results
  /// reach the consumer in chunk order.
  @Test(arguments: ["1x2", "2x1", "2x4"])
  func everyChunkOnceInOrder(_ spec: String) throws {
    let topology = try #require(Topology.parse(spec))
    let log = Log()
    var consumed: [Int] = []
    try WorkerPool.run(
      chunks: 500, threads: 7, topology: topology,
      work: { (chunk: Int, context: WorkerContext) throws(Failure) -> Int in
        log.record(chunk, node: context.nodeIndex)
        return chunk * 2
      },
      consume: { (chunk: Int, result: Int) throws(Failure) in
        #expect(result == chunk * 2)
        consumed.append(chunk)
      })
    #expect(consumed == Array(0..<500))
    #expect(log.runs.count == 500)
    #expect(log.runs.values.allSatisfy { $0.count == 1 })
  }

  /// Node 0's chunks are slow, node 1's instant: node 1's worker finishes its own range and
  /// steals from node 0's.
  @Test func idleWorkersSteal() throws {
    let topology = Topology.synthetic(nodes: 2, cpusPerNode: 1)
    let log = Log()
    try WorkerPool.run(
      chunks: 40, threads: 2, topology: topology,
      work: { (chunk: Int, context: WorkerContext) throws(Failure) -> Int in
        if chunk < 20 { Thread.sleep(forTimeInterval: 0.005) }
        log.record(chunk, node: context.nodeIndex)
        return chunk
      },
      consume: { (_: Int, _: Int) throws(Failure) in })
    let stolen = (0..<20).filter { log.runs[$0] == [1] }
    #expect(!stolen.isEmpty, "node 1 never stole from node 0")
    #expect(log.runs.count == 40 && log.runs.values.allSatisfy { $0.count == 1 })
  }

  /// A failing chunk stops the pool: no hang, no chunk consumed past it, the lowest failing
  /// chunk's error is the one thrown.
  @Test func failureStopsThePool() {
    let log = Log()
    var consumed: [Int] = []
    let error = #expect(throws: Failure.self) {
      try WorkerPool.run(
        chunks: 1000, threads: 3, topology: .synthetic(nodes: 1, cpusPerNode: 3),
        work: { (chunk: Int, context: WorkerContext) throws(Failure) -> Int in
          log.record(chunk, node: context.nodeIndex)
          if chunk == 37 || chunk == 600 { throw Failure(chunk: chunk) }
          // Chunks past the failure take a moment, as real replications do, so a pool that did
          // not stop would run all of them (trivial chunks could all finish before the failure
          // is seen, on a loaded machine).
          if chunk > 37 { usleep(200) }
          return chunk
        },
        consume: { (chunk: Int, _: Int) throws(Failure) in consumed.append(chunk) })
    }
    #expect(error == Failure(chunk: 37))
    #expect(consumed == Array(0..<consumed.count) && consumed.count <= 37)
    #expect(log.runs.count < 1000)
  }
}
