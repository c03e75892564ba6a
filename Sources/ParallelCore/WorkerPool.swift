import CNUMA
import Foundation

/// Where a worker runs: its NUMA node and its number.
public struct WorkerContext: Sendable {
  /// The worker's index, 0 ..< threads.
  public var worker: Int
  /// The index, in `Topology.nodes`, of the node it belongs to.
  public var nodeIndex: Int
  /// Whether it was pinned to its node (false on synthetic topologies and without libnuma).
  public var pinned: Bool
}

/// A pool of OS threads grouped by NUMA node that runs numbered chunks of work and hands their
/// results back in chunk order.
///
/// Chunks are split into one contiguous range per node, in proportion to the node's workers; a
/// worker takes the next chunk of its own node's range and steals from other nodes' ranges only
/// when its own is empty. Each worker pins itself to its node with libnuma
/// (`numa_run_on_node`) before it takes work, so the simulation state it allocates afterwards is
/// first touched, and placed, on that node. Results are consumed on the calling thread strictly
/// in chunk order, so whatever the threads and topology, the consumer sees the same sequence.
public enum WorkerPool {
  /// Workers per node: `threads` spread over the nodes in proportion to their allowed CPUs (at
  /// least one per node while threads last).
  public static func workersPerNode(threads: Int, topology: Topology) -> [Int] {
    let weights = topology.nodes.map { max(1, $0.allowedCPUs.count) }
    let total = weights.reduce(0, +)
    var counts = weights.map { threads * $0 / total }
    var index = 0
    while counts.reduce(0, +) < threads {
      counts[index % counts.count] += 1
      index += 1
    }
    return counts
  }

  /// The chunk ranges of each node: contiguous, in proportion to its workers.
  public static func ranges(chunks: Int, workersPerNode: [Int]) -> [Range<Int>] {
    let workers = workersPerNode.reduce(0, +)
    var start = 0
    var ranges: [Range<Int>] = []
    var assigned = 0
    for count in workersPerNode {
      assigned += count
      let end = workers == 0 ? chunks : chunks * assigned / workers
      ranges.append(start..<end)
      start = end
    }
    return ranges
  }

  /// Runs `work` for chunks 0 ..< `chunks` on `threads` workers and calls `consume` on the calling
  /// thread for each result in chunk order, and `tick` about every 0.2 s with the chunks done. The
  /// first error thrown by `work` (lowest chunk) stops the pool: no new chunk starts, running
  /// ones finish, and the error is rethrown once every worker has stopped; `consume` errors too.
  public static func run<Result: Sendable, Failure: Error>(
    chunks: Int, threads: Int, topology: Topology,
    work: @escaping @Sendable (Int, WorkerContext) throws(Failure) -> Result,
    consume: (Int, Result) throws(Failure) -> Void,
    tick: ((Int) -> Void)? = nil
  ) throws(Failure) {
    guard chunks > 0 else { return }
    let threads = max(1, min(threads, chunks))
    let perNode = workersPerNode(threads: threads, topology: topology)
    let state = PoolState<Result, Failure>(
      ranges: ranges(chunks: chunks, workersPerNode: perNode))
    let pin = topology.source == .libnuma && numa_available() >= 0
    var workerThreads: [Thread] = []
    var worker = 0
    for (nodeIndex, count) in perNode.enumerated() {
      for _ in 0..<count {
        let context = WorkerContext(worker: worker, nodeIndex: nodeIndex, pinned: pin)
        let nodeID = topology.nodes[nodeIndex].id
        let thread = Thread {
          if context.pinned { _ = numa_run_on_node(Int32(nodeID)) }
          state.workLoop(home: nodeIndex, context: context, work: work)
        }
        thread.name = "clustersim-worker-\(worker)"
        workerThreads.append(thread)
        worker += 1
      }
    }
    state.begin(workers: workerThreads.count)
    for thread in workerThreads { thread.start() }

    var next = 0
    var consumeError: Failure?
    while next < chunks {
      guard let item = state.waitFor(chunk: next, tick: tick) else { break }
      do {
        try consume(next, item)
      } catch {
        consumeError = error
        state.stop()
        break
      }
      next += 1
    }
    state.waitForWorkers()
    if let consumeError { throw consumeError }
    if let failure = state.failure { throw failure }
  }
}

/// The shared state of one `WorkerPool.run`: the nodes' chunk queues, the finished results and the
/// first failure, behind one condition lock.
final class PoolState<Result: Sendable, Failure: Error>: @unchecked Sendable {
  private let condition = NSCondition()
  private var next: [Int]
  private let ends: [Int]
  private var results: [Int: Result] = [:]
  private(set) var failure: Failure?
  private var failedChunk = Int.max
  private var stopped = false
  private var running = 0
  private var done = 0

  init(ranges: [Range<Int>]) {
    next = ranges.map(\.lowerBound)
    ends = ranges.map(\.upperBound)
  }

  func begin(workers: Int) {
    condition.lock()
    running = workers
    condition.unlock()
  }

  /// The next chunk for a worker of node `home`: its own node's first, then any other node's.
  private func take(home: Int) -> Int? {
    condition.lock()
    defer { condition.unlock() }
    guard !stopped else { return nil }
    for offset in 0..<next.count {
      let node = (home + offset) % next.count
      if next[node] < ends[node] {
        let chunk = next[node]
        next[node] += 1
        return chunk
      }
    }
    return nil
  }

  func workLoop(
    home: Int, context: WorkerContext,
    work: (Int, WorkerContext) throws(Failure) -> Result
  ) {
    while let chunk = take(home: home) {
      do {
        let result = try work(chunk, context)
        condition.lock()
        results[chunk] = result
        done += 1
        condition.broadcast()
        condition.unlock()
      } catch {
        condition.lock()
        if chunk < failedChunk {
          failedChunk = chunk
          failure = error
        }
        stopped = true
        condition.broadcast()
        condition.unlock()
      }
    }
    condition.lock()
    running -= 1
    condition.broadcast()
    condition.unlock()
  }

  /// Waits for chunk `chunk`'s result and removes it; nil once the pool has stopped without it.
  func waitFor(chunk: Int, tick: ((Int) -> Void)?) -> Result? {
    condition.lock()
    defer { condition.unlock() }
    while results[chunk] == nil {
      if stopped || (running == 0) { return nil }
      if let tick {
        _ = condition.wait(until: Date(timeIntervalSinceNow: 0.2))
        let finished = done
        condition.unlock()
        tick(finished)
        condition.lock()
      } else {
        condition.wait()
      }
    }
    return results.removeValue(forKey: chunk)
  }

  func stop() {
    condition.lock()
    stopped = true
    condition.broadcast()
    condition.unlock()
  }

  func waitForWorkers() {
    condition.lock()
    while running > 0 { condition.wait() }
    condition.unlock()
  }
}
