import SimKernel

/// A built-in failure profile a config names with `failures.profile`: published failure counts
/// by component over a known exposure, and the repair ClusterSim assumes for each category.
public struct FailureProfile: Sendable {
  /// What a failure of a category does to its node.
  public struct CategoryRepair: Sendable {
    public var repair: Distribution
    public var takesNodeDown: Bool
  }

  public var name: String
  /// GPU-hours of exposure over which the counts were observed.
  public var exposureGPUHours: Double
  /// (component, category, failures observed).
  public var counts: [(component: String, category: String, count: Int)]
  /// The repair of each category; a category not listed does not take its node down.
  public var repairs: [String: CategoryRepair]

  /// Its components on nodes of `gpusPerNode` GPUs: each fails at count / exposure per GPU-hour,
  /// so `gpusPerNode` times that per node-hour; `scale` multiplies every rate.
  public func components(gpusPerNode: Int, scale: Double = 1) -> [FailureComponent] {
    counts.map { entry in
      let repair = repairs[entry.category] ?? CategoryRepair(repair: .fixed(0), takesNodeDown: false)
      return FailureComponent(
        name: entry.component, category: entry.category,
        ratePerNodeHour: Double(entry.count) / exposureGPUHours * Double(gpusPerNode) * scale,
        repair: repair.repair, takesNodeDown: repair.takesNodeDown)
    }
  }
}

/// The built-in failure profiles.
public enum FailureProfiles {
  /// Every profile, by the name configs use.
  public static let all: [FailureProfile] = [llama3]

  /// The names configs may use.
  public static var names: [String] { all.map(\.name) }

  /// The profile named `name`.
  public static func named(_ name: String) -> FailureProfile? { all.first { $0.name == name } }

  /// Llama 3 405B pre-training (arXiv 2407.21783, §3.3.4, Table 5): 419 unexpected interruptions
  /// in a 54-day snapshot on 16,384 H100, by component.
  ///
  /// The paper gives no repair times; these are ClusterSim's assumptions, by category: GPU and
  /// host hardware is replaced in a lognormal time of mean 24 h (sd 12 h); network switches and
  /// cables in 4 h; unplanned host maintenance takes 6 h; software, dependency and unknown faults
  /// (NCCL watchdog timeouts) do not take the node down: the job restarts on the same nodes.
  public static let llama3 = FailureProfile(
    name: "llama3", exposureGPUHours: 16_384.0 * 54 * 24,
    counts: [
      ("faulty_gpu", "gpu", 148), ("gpu_hbm3", "gpu", 72), ("software_bug", "dependency", 54),
      ("network_switch_cable", "network", 35),
      ("host_maintenance", "unplanned_maintenance", 32), ("gpu_sram", "gpu", 19),
      ("gpu_system_processor", "gpu", 17), ("nic", "host", 7),
      ("nccl_watchdog_timeout", "unknown", 7), ("silent_data_corruption", "gpu", 6),
      ("gpu_thermal_sensor", "gpu", 6), ("ssd", "host", 3), ("power_supply", "host", 3),
      ("server_chassis", "host", 2), ("io_expansion_board", "host", 2),
      ("dependency", "dependency", 2), ("cpu", "host", 2), ("system_memory", "host", 2),
    ],
    repairs: [
      "gpu": .init(repair: .logNormal(mean: 24, standardDeviation: 12), takesNodeDown: true),
      "host": .init(repair: .logNormal(mean: 24, standardDeviation: 12), takesNodeDown: true),
      "network": .init(repair: .fixed(4), takesNodeDown: true),
      "unplanned_maintenance": .init(repair: .fixed(6), takesNodeDown: true),
    ])
}
