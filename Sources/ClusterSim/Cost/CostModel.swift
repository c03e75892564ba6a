/// How a pool's GPUs are paid for (`docs/cost.md`).
public enum CostModel: Sendable, Hashable {
  /// Pay per GPU-hour for the GPUs a phase holds, from its start to its end.
  case rental(pricePerGPUHourUSD: Double)
  /// The whole pool, spares included, billed per GPU-hour for the program's whole duration, idle
  /// time included.
  case reserved(pricePerGPUHourUSD: Double)
  /// Bought: the purchase amortised over a lifetime, a per-node overhead, and power.
  case owned(OwnedCost)

  /// What one GPU-hour held by a phase costs on `pool`.
  public func heldUSDPerGPUHour(pool: Pool) -> Double {
    switch self {
    case .rental(let price), .reserved(let price): price
    case .owned(let owned):
      owned.capitalUSDPerGPUHour(gpusPerNode: pool.gpusPerNode)
        + owned.powerUSDPerGPUHour(tdpWatts: pool.chip.tdpWatts)
    }
  }

  /// What one idle GPU-hour costs on `pool`: nothing when rented; the price when reserved; the
  /// amortisation and overhead, without power, when owned.
  public func idleUSDPerGPUHour(pool: Pool) -> Double {
    switch self {
    case .rental: 0
    case .reserved(let price): price
    case .owned(let owned): owned.capitalUSDPerGPUHour(gpusPerNode: pool.gpusPerNode)
    }
  }

  /// Whether the pool is paid for while idle.
  public var billsIdle: Bool {
    if case .rental = self { return false }
    return true
  }

  /// The config name: `rental`, `reserved`, `owned`.
  public var name: String {
    switch self {
    case .rental: "rental"
    case .reserved: "reserved"
    case .owned: "owned"
    }
  }
}

/// The costs of owning GPUs.
public struct OwnedCost: Sendable, Hashable {
  /// Purchase price of one GPU's share of a node, in US dollars.
  public var purchaseUSDPerGPU: Double
  /// Years over which the purchase is amortised (straight line).
  public var lifetimeYears: Double
  /// Average fraction of TDP a GPU draws while a phase holds it.
  public var utilization: Double
  /// Power usage effectiveness of the data centre (≥ 1).
  public var pue: Double
  /// Electricity price, US dollars per kWh.
  public var electricityUSDPerKWh: Double
  /// Hosting, network and staff per node-hour, in US dollars.
  public var overheadUSDPerNodeHour: Double

  public init(
    purchaseUSDPerGPU: Double, lifetimeYears: Double, utilization: Double, pue: Double,
    electricityUSDPerKWh: Double, overheadUSDPerNodeHour: Double
  ) {
    self.purchaseUSDPerGPU = purchaseUSDPerGPU
    self.lifetimeYears = lifetimeYears
    self.utilization = utilization
    self.pue = pue
    self.electricityUSDPerKWh = electricityUSDPerKWh
    self.overheadUSDPerNodeHour = overheadUSDPerNodeHour
  }

  /// Hours in a year (365 days).
  public static let hoursPerYear = 8760.0

  /// Amortisation plus overhead per GPU-hour: purchase / (lifetime × 8760) + overhead / GPUs per
  /// node.
  public func capitalUSDPerGPUHour(gpusPerNode: Int) -> Double {
    purchaseUSDPerGPU / (lifetimeYears * Self.hoursPerYear)
      + overheadUSDPerNodeHour / Double(gpusPerNode)
  }

  /// Power per GPU-hour held: TDP × utilisation × PUE × price, TDP in kW.
  public func powerUSDPerGPUHour(tdpWatts: Double) -> Double {
    tdpWatts / 1000 * utilization * pue * electricityUSDPerKWh
  }
}
