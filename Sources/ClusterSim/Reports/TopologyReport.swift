public import ParallelCore

/// Renders the machine's NUMA topology as a table or JSON.
public struct TopologyReport: Sendable {
  public let topology: Topology

  public init(_ topology: Topology) {
    self.topology = topology
  }

  /// A summary line, then one row per NUMA node.
  public func table() -> String {
    let cpus = topology.nodes.reduce(0) { $0 + $1.cpus.count }
    let allowed = topology.allowedCPUs.count
    let nodeWord = topology.nodes.count == 1 ? "node" : "nodes"
    let title: String
    switch topology.source {
    case .libnuma:
      title =
        "NUMA topology (libnuma): \(topology.nodes.count) \(nodeWord), \(cpus) CPUs, "
        + "\(allowed) usable by this process"
    case .unavailable:
      title =
        "libnuma is unavailable on this system (numa_available() < 0): treating the machine "
        + "as one node of \(cpus) CPUs"
    case .synthetic:
      title =
        "Synthetic topology (--topology or CLUSTERSIM_TOPOLOGY): \(topology.nodes.count) "
        + "\(nodeWord) of \(topology.nodes.first?.cpus.count ?? 0) CPUs; workers are placed and "
        + "steal work as on such a machine, but are not pinned"
    }
    let rows = topology.nodes.map { node in
      [
        "\(node.id)", Self.ranges(node.cpus), Self.ranges(node.allowedCPUs),
        node.memoryBytes.map { TextTable.grouped(Double($0) / 1e9, decimals: 1) } ?? "-",
      ]
    }
    let table = TextTable(
      header: ["node", "CPUs", "usable CPUs", "memory GB"], rows: rows, rightAligned: [3])
    return title + "\n\n" + table.rendered(ruleBeforeLastRow: false)
  }

  /// `{"schema": "clustersim.topology/1", "source": ..., "nodes": [...]}`.
  public func json() -> JSONValue {
    let nodes = topology.nodes.map { node in
      JSONValue.object([
        ("id", .integer(Int64(node.id))),
        ("cpus", .array(node.cpus.map { .integer(Int64($0)) })),
        ("usable_cpus", .array(node.allowedCPUs.map { .integer(Int64($0)) })),
        ("memory_bytes", node.memoryBytes.map { .integer($0) } ?? .null),
      ])
    }
    let source: String =
      switch topology.source {
      case .libnuma: "libnuma"
      case .unavailable: "unavailable"
      case .synthetic: "synthetic"
      }
    return .object([
      ("schema", .string("clustersim.topology/1")), ("source", .string(source)),
      ("nodes", .array(nodes)),
    ])
  }

  /// `0-3,8,10-11`: CPU numbers as ranges, the way Linux cpulists read.
  public static func ranges(_ cpus: [Int]) -> String {
    guard !cpus.isEmpty else { return "-" }
    var parts: [String] = []
    var start = cpus[0]
    var previous = cpus[0]
    for cpu in cpus.dropFirst() {
      if cpu == previous + 1 {
        previous = cpu
        continue
      }
      parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
      start = cpu
      previous = cpu
    }
    parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
    return parts.joined(separator: ",")
  }
}
