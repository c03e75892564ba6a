import CNUMA

/// The NUMA nodes and CPUs of this machine, as libnuma reports them.
///
/// Only topology detection lives here for now; the pinned worker pool that uses it comes with the
/// multithreaded core.
public struct Topology: Sendable, Hashable {
  /// One NUMA node: its CPUs and its memory.
  public struct Node: Sendable, Hashable {
    /// libnuma's node number.
    public var id: Int
    /// CPUs that belong to the node, ascending.
    public var cpus: [Int]
    /// Of those, the CPUs this process may run on (cpuset and affinity limits applied).
    public var allowedCPUs: [Int]
    /// Memory attached to the node, in bytes (nil when libnuma cannot tell).
    public var memoryBytes: Int64?

    public init(id: Int, cpus: [Int], allowedCPUs: [Int], memoryBytes: Int64?) {
      self.id = id
      self.cpus = cpus
      self.allowedCPUs = allowedCPUs
      self.memoryBytes = memoryBytes
    }
  }

  /// Where the description came from.
  public enum Source: Sendable, Hashable {
    /// Read from libnuma.
    case libnuma
    /// libnuma is unavailable on this system (`numa_available()` returned -1); the machine is
    /// described as one node holding every CPU.
    case unavailable
  }

  /// The nodes, by ascending id.
  public var nodes: [Node]
  /// Where the description came from.
  public var source: Source

  public init(nodes: [Node], source: Source) {
    self.nodes = nodes
    self.source = source
  }

  /// Every CPU the process may run on, node by node.
  public var allowedCPUs: [Int] { nodes.flatMap(\.allowedCPUs) }

  /// Reads the topology of this machine through libnuma (numa(3)).
  public static func detect() -> Topology {
    let configuredCPUs = max(1, Int(numa_num_configured_cpus()))
    guard numa_available() >= 0 else {
      let all = Array(0..<configuredCPUs)
      return Topology(
        nodes: [Node(id: 0, cpus: all, allowedCPUs: all, memoryBytes: nil)], source: .unavailable)
    }
    let maxNode = Int(numa_max_node())
    var cpusByNode = [Int: [Int]]()
    var allowedByNode = [Int: [Int]]()
    for cpu in 0..<configuredCPUs {
      let node = Int(numa_node_of_cpu(Int32(cpu)))
      guard node >= 0 else { continue }  // CPU offline or unknown to the kernel
      cpusByNode[node, default: []].append(cpu)
      if cnuma_cpu_is_allowed(Int32(cpu)) != 0 {
        allowedByNode[node, default: []].append(cpu)
      }
    }
    var nodes: [Node] = []
    for id in 0...maxNode where cpusByNode[id] != nil {
      var freeBytes: Int64 = 0
      let size = numa_node_size64(Int32(id), &freeBytes)
      nodes.append(
        Node(
          id: id, cpus: cpusByNode[id] ?? [], allowedCPUs: allowedByNode[id] ?? [],
          memoryBytes: size >= 0 ? size : nil))
    }
    return Topology(nodes: nodes, source: .libnuma)
  }
}
