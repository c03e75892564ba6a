/// A pool of identical nodes that phases run on, billed per GPU-hour.
public struct Pool: Sendable, Hashable {
  /// The name phases refer to.
  public var name: String
  /// The chip every GPU of the pool is.
  public var chip: Chip
  /// Nodes that phases may be scheduled on (spares not included).
  public var nodes: Int
  /// GPUs per node.
  public var gpusPerNode: Int
  /// Extra nodes held back to replace failed ones; never scheduled.
  public var spareNodes: Int
  /// How its nodes fail and are maintained.
  public var failures: FailureModel
  /// How its GPUs are paid for, the price per GPU-hour included (the one place it is kept;
  /// `init` builds a rental at `pricePerGPUHourUSD` when no model is given).
  public var cost: CostModel

  /// The highest price a config may give, in US dollars per GPU-hour: anything above is a unit
  /// mistake (cents, or a price per node-month).
  public static let maximumPricePerGPUHourUSD = 1_000.0

  public init(
    name: String, chip: Chip, nodes: Int, gpusPerNode: Int = 8, spareNodes: Int = 0,
    pricePerGPUHourUSD: Double = 0, failures: FailureModel = .none, cost: CostModel? = nil
  ) {
    self.name = name
    self.chip = chip
    self.nodes = nodes
    self.gpusPerNode = gpusPerNode
    self.spareNodes = spareNodes
    self.failures = failures
    self.cost = cost ?? .rental(pricePerGPUHourUSD: pricePerGPUHourUSD)
  }

  /// Every node, spares included.
  public var totalNodes: Int { nodes + spareNodes }
  /// Every GPU, spares included.
  public var totalGPUs: Int { totalNodes * gpusPerNode }

  /// Whether anything can interrupt its phases: failures or planned maintenance. Without, the
  /// outputs say "no failure model" rather than show zero interruptions as if measured.
  public var hasFailureModel: Bool { failures.hasFailures || failures.maintenance != nil }

  /// GPUs that reach each other over NVLink: a node, or the chip's multi-node NVLink domain
  /// (`Chip.nvlinkGPUs(gpusPerNode:)`). Failures and billing stay per node.
  public var nvlinkGPUs: Int { chip.nvlinkGPUs(gpusPerNode: gpusPerNode) }

  /// GPUs that phases may use: `nodes × gpusPerNode`.
  public var schedulableGPUs: Int { nodes * gpusPerNode }
}
