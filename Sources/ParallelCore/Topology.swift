import CNUMA
import Foundation

/// The NUMA nodes and CPUs of this machine, as libnuma reports them.
///
/// `WorkerPool` runs one group of pinned workers per node.
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
    /// Given by `--host-topology NxC` or `CLUSTERSIM_TOPOLOGY`: N nodes of C CPUs, for testing
    /// placement and stealing on any machine. Workers are not pinned.
    case synthetic
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

  /// `nodes` nodes of `cpusPerNode` CPUs each, numbered consecutively.
  public static func synthetic(nodes: Int, cpusPerNode: Int) -> Topology {
    Topology(
      nodes: (0..<nodes).map { node in
        let cpus = Array((node * cpusPerNode)..<((node + 1) * cpusPerNode))
        return Node(id: node, cpus: cpus, allowedCPUs: cpus, memoryBytes: nil)
      }, source: .synthetic)
  }

  /// Parses `NxC` (N nodes of C CPUs, each 1 to 1024); nil if malformed.
  public static func parse(_ spec: String) -> Topology? {
    let parts = spec.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let nodes = Int(parts[0]), let cpus = Int(parts[1]),
      (1...1024).contains(nodes), (1...1024).contains(cpus)
    else { return nil }
    return synthetic(nodes: nodes, cpusPerNode: cpus)
  }

  /// The topology to use: `spec` (from the flag `flag`, `--host-topology`), else
  /// `CLUSTERSIM_TOPOLOGY`, else this machine's. Throws a message naming the bad value.
  public static func resolve(spec: String?, flag: String = "--topology") throws(TopologyError)
    -> Topology
  {
    if let spec {
      guard let topology = parse(spec) else {
        throw TopologyError(origin: flag, value: spec)
      }
      return topology
    }
    if let env = ProcessInfo.processInfo.environment["CLUSTERSIM_TOPOLOGY"], !env.isEmpty {
      guard let topology = parse(env) else {
        throw TopologyError(origin: "CLUSTERSIM_TOPOLOGY", value: env)
      }
      return topology
    }
    return detect()
  }

  /// CPUs this process may use: the CPUs of its affinity mask, capped by a cgroup v2 CPU quota
  /// (`/sys/fs/cgroup/cpu.max`, "quota period") when one is set.
  public static func usableCPUs() -> Int {
    var count = detect().allowedCPUs.count
    if let text = try? String(contentsOfFile: "/sys/fs/cgroup/cpu.max", encoding: .utf8) {
      let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
      if fields.count >= 2, let quota = Double(fields[0]), let period = Double(fields[1]),
        period > 0
      {
        count = min(count, max(1, Int((quota / period).rounded(.up))))
      }
    }
    return max(1, count)
  }

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

/// A topology given on the command line or in the environment that cannot be read.
public struct TopologyError: Error, Sendable, CustomStringConvertible {
  public var origin: String
  public var value: String

  public var description: String {
    "\(origin): \"\(value)\" is not a topology; give NODESxCPUS, e.g. 2x4 (2 nodes of 4 CPUs)"
  }
}
