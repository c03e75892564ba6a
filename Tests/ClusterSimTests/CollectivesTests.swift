import Testing

@testable import ClusterSim

/// The α-β formulas, by hand.
@Suite struct CollectivesTests {
  let link = Link(bytesPerSecond: 100e9, latencySeconds: 5e-6)

  /// Ring all-reduce of 1 GB over 8 ranks: 2·7·5 µs + 2·(7/8)·1e9/100e9 s = 70 µs + 17.5 ms.
  @Test func ringAllReduce() {
    let seconds = Collectives.allReduceSeconds(bytes: 1e9, ranks: 8, link: link)
    #expect(abs(seconds - 0.017_570) < 1e-12)
    #expect(Collectives.allReduceSeconds(bytes: 1e9, ranks: 1, link: link) == 0)
  }

  /// Reduce-scatter and all-gather: half an all-reduce: 7·5 µs + (7/8)·10 ms.
  @Test func reduceScatterAndAllGather() {
    let seconds = Collectives.reduceScatterSeconds(bytes: 1e9, ranks: 8, link: link)
    #expect(abs(seconds - 0.008_785) < 1e-12)
    #expect(Collectives.allGatherSeconds(bytes: 1e9, ranks: 8, link: link) == seconds)
  }

  /// 8 GPUs per node × 4 nodes, 1 GB: inside the node 7·3 µs + (7/8)·1e9/200e9 s; across nodes,
  /// each GPU's 1/8 shard: 3·5 µs + (3/4)·1.25e8/25e9 s; the all-reduce is twice both.
  @Test func hierarchicalAllReduce() {
    let intra = Link(bytesPerSecond: 200e9, latencySeconds: 3e-6)
    let inter = Link(bytesPerSecond: 25e9, latencySeconds: 5e-6)
    let expected = 2 * ((21e-6 + 0.004_375) + (15e-6 + 0.003_75))
    let seconds = Collectives.hierarchicalAllReduceSeconds(
      bytes: 1e9, perNode: 8, nodes: 4, intra: intra, inter: inter)
    #expect(abs(seconds - expected) < 1e-12)
  }

  @Test func pointToPoint() {
    #expect(abs(Collectives.pointToPointSeconds(bytes: 1e8, link: link) - 0.001_005) < 1e-12)
  }

  /// With the shared 0.8 link efficiency, H800's links come out at what DeepSeek measured:
  /// about 160 GB/s per direction of NVLink and 40 GB/s per 400 Gb/s NIC (ISCA '25 §4.3).
  @Test func h800LinksMatchDeepSeeksMeasurements() throws {
    let h800 = try #require(ChipCatalog.builtIn["H800-SXM5-80GB"])
    #expect(abs(Link.nvlink(h800).bytesPerSecond - 160e9) < 1)
    #expect(abs(Link.network(h800).bytesPerSecond - 40e9) < 1)
    #expect(abs(Link.nvlink(h800).latencySeconds - 3.33e-6) < 1e-15)
  }
}
