import Foundation
import Testing

@testable import ParallelCore

@Suite struct TopologyTests {
  /// libnuma is installed by the project's set-up, so on every machine that runs the tests it
  /// must answer; its description must partition the CPUs the process can use.
  @Test func libnumaDescribesThisMachine() {
    let topology = Topology.detect()
    #expect(topology.source == .libnuma)
    #expect(!topology.nodes.isEmpty)
    let all = topology.nodes.flatMap(\.cpus)
    #expect(Set(all).count == all.count, "a CPU belongs to two nodes")
    for node in topology.nodes {
      #expect(Set(node.allowedCPUs).isSubset(of: Set(node.cpus)))
      #expect(node.cpus == node.cpus.sorted())
    }
    #expect(topology.nodes.map(\.id) == topology.nodes.map(\.id).sorted())
    // The usable CPUs are the process's affinity mask, which Foundation also reads.
    #expect(topology.allowedCPUs.count == ProcessInfo.processInfo.activeProcessorCount)
  }
}
