/// One kind of link a collective runs over: its usable bandwidth per GPU and direction, and the
/// latency of one transfer step.
public struct Link: Sendable, Hashable {
  /// Bytes per second each GPU can send (and receive at the same time).
  public var bytesPerSecond: Double
  /// Seconds per transfer step (α).
  public var latencySeconds: Double

  public init(bytesPerSecond: Double, latencySeconds: Double) {
    self.bytesPerSecond = bytesPerSecond
    self.latencySeconds = latencySeconds
  }

  /// NVLink of `chip`: half the bidirectional total, times the chip's NVLink efficiency.
  public static func nvlink(_ chip: Chip) -> Link {
    Link(
      bytesPerSecond: chip.nvlinkGBPerS * 1e9 / 2 * chip.efficiency.nvlink,
      latencySeconds: chip.efficiency.nvlinkLatencyUS * 1e-6)
  }

  /// The scale-out NIC of `chip`: its line rate in bytes, times the network efficiency.
  public static func network(_ chip: Chip) -> Link {
    Link(
      bytesPerSecond: chip.nicGbps * 1e9 / 8 * chip.efficiency.network,
      latencySeconds: chip.efficiency.networkLatencyUS * 1e-6)
  }
}

/// Times of collectives under the α-β model: a step costs α plus bytes over bandwidth.
///
/// Ring algorithms over n ranks, each holding `bytes` (Thakur, Rabenseifner and Gropp,
/// "Optimization of Collective Communication Operations in MPICH", IJHPCA 2005, §4; NCCL's "bus
/// bandwidth" convention): reduce-scatter and all-gather take n−1 steps moving bytes/n each,
/// all-reduce is one of each.
public enum Collectives {
  /// Reduce-scatter (or all-gather) of `bytes` over a ring of `ranks`:
  /// (n−1)·α + (n−1)/n · bytes/β.
  public static func reduceScatterSeconds(bytes: Double, ranks: Int, link: Link) -> Double {
    guard ranks > 1 else { return 0 }
    let n = Double(ranks)
    return (n - 1) * link.latencySeconds + (n - 1) / n * bytes / link.bytesPerSecond
  }

  /// All-gather: the same cost as reduce-scatter.
  public static func allGatherSeconds(bytes: Double, ranks: Int, link: Link) -> Double {
    reduceScatterSeconds(bytes: bytes, ranks: ranks, link: link)
  }

  /// Ring all-reduce: 2(n−1)·α + 2(n−1)/n · bytes/β.
  public static func allReduceSeconds(bytes: Double, ranks: Int, link: Link) -> Double {
    2 * reduceScatterSeconds(bytes: bytes, ranks: ranks, link: link)
  }

  /// Hierarchical reduce-scatter (or all-gather) of `bytes` over `perNode` ranks in each of
  /// `nodes` nodes: a ring inside each node over NVLink, then, each GPU with its own NIC, a ring
  /// across the nodes over the 1/perNode shard it owns.
  public static func hierarchicalReduceScatterSeconds(
    bytes: Double, perNode: Int, nodes: Int, intra: Link, inter: Link
  ) -> Double {
    reduceScatterSeconds(bytes: bytes, ranks: perNode, link: intra)
      + reduceScatterSeconds(bytes: bytes / Double(perNode), ranks: nodes, link: inter)
  }

  /// Hierarchical all-reduce: reduce-scatter then all-gather, each hierarchical.
  public static func hierarchicalAllReduceSeconds(
    bytes: Double, perNode: Int, nodes: Int, intra: Link, inter: Link
  ) -> Double {
    2
      * hierarchicalReduceScatterSeconds(
        bytes: bytes, perNode: perNode, nodes: nodes, intra: intra, inter: inter)
  }

  /// One point-to-point message: α + bytes/β.
  public static func pointToPointSeconds(bytes: Double, link: Link) -> Double {
    link.latencySeconds + bytes / link.bytesPerSecond
  }
}
