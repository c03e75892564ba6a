import ArgumentParser
import ClusterSim
import ParallelCore

/// `clustersim topology`: the NUMA nodes and CPUs libnuma sees.
struct TopologyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "topology",
    abstract: "Show the NUMA nodes and CPUs of this machine, as libnuma sees them.")

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json
  }

  @Option(help: "Output format: table or json.")
  var format: Format = .table

  @OptionGroup var hostTopology: HostTopologyFlag

  func run() throws {
    let topology = try hostTopology.machine()
    switch format {
    case .table: print(TopologyReport(topology).table(), terminator: "")
    case .json: print(TopologyReport(topology).json().rendered())
    }
  }
}
