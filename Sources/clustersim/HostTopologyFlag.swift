import ArgumentParser
import ParallelCore

/// `--host-topology NxC`: the NUMA layout of the machine that runs the simulation (its worker
/// threads' placement), not the simulated cluster's network. `--topology`, its name before
/// 0.18, still works and is hidden from the help.
struct HostTopologyFlag: ParsableArguments {
  @Option(
    name: .customLong("host-topology"),
    help:
      "A synthetic NUMA layout NODESxCPUS of the machine running the simulation, e.g. 2x4 (not the simulated cluster; default: CLUSTERSIM_TOPOLOGY, else this machine's)."
  )
  var hostTopology: String?

  @Option(name: .customLong("topology"), help: .hidden)
  var legacyTopology: String?

  func validate() throws {
    if hostTopology != nil, legacyTopology != nil {
      throw ValidationError(
        "--topology is the old name of --host-topology; give --host-topology alone")
    }
  }

  /// The value given, under either name.
  var spec: String? { hostTopology ?? legacyTopology }

  /// The topology to run on: the flag's, else `CLUSTERSIM_TOPOLOGY`, else this machine's.
  func machine() throws -> Topology {
    try Topology.resolve(
      spec: spec, flag: legacyTopology != nil ? "--topology" : "--host-topology")
  }
}
