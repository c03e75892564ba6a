import ArgumentParser
import ClusterSim

/// `clustersim catalog`: the chips ClusterSim knows, with a config's additions and overrides.
struct Catalog: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the chip catalog: dense peaks, HBM, NVLink, NIC and TDP.")

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json
  }

  @Option(help: "Output format: table or json.")
  var format: Format = .table

  @Option(help: "Show the catalog as this config changes it (its \"chips\" section).")
  var config: String?

  func run() throws {
    let catalog = try config.map { try ConfigLoader.load(path: $0).catalog } ?? .builtIn
    let report = CatalogReport(catalog)
    switch format {
    case .table: print(report.table(), terminator: "")
    case .json: print(report.json().rendered())
    }
  }
}
