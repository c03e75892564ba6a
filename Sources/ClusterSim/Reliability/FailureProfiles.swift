import SimKernel

/// Built-in failure profiles a config names with `failures.profile`.
public enum FailureProfiles {
  /// The names configs may use.
  public static let names = ["llama3"]

  /// Llama 3 405B pre-training (arXiv 2407.21783, §3.3.4, Table 5): 419 unexpected interruptions
  /// in a 54-day snapshot on 16,384 H100, by component. Each component fails at
  /// count / (16,384 × 54 × 24) per GPU-hour, so `gpusPerNode` times that per node-hour; `scale`
  /// multiplies every rate.
  ///
  /// The paper gives no repair times; these are ClusterSim's assumptions, by category: GPU and
  /// host hardware is replaced in a lognormal time of mean 24 h (sd 12 h); network switches and
  /// cables in 4 h; unplanned host maintenance takes 6 h; software, dependency and unknown faults
  /// (NCCL watchdog timeouts) do not take the node down: the job restarts on the same nodes.
  public static func llama3(gpusPerNode: Int, scale: Double = 1) -> [FailureComponent] {
    let exposureGPUHours = 16_384.0 * 54 * 24
    let table: [(String, String, Int)] = [
      ("faulty_gpu", "gpu", 148), ("gpu_hbm3", "gpu", 72), ("software_bug", "dependency", 54),
      ("network_switch_cable", "network", 35),
      ("host_maintenance", "unplanned_maintenance", 32), ("gpu_sram", "gpu", 19),
      ("gpu_system_processor", "gpu", 17), ("nic", "host", 7),
      ("nccl_watchdog_timeout", "unknown", 7), ("silent_data_corruption", "gpu", 6),
      ("gpu_thermal_sensor", "gpu", 6), ("ssd", "host", 3), ("power_supply", "host", 3),
      ("server_chassis", "host", 2), ("io_expansion_board", "host", 2),
      ("dependency", "dependency", 2), ("cpu", "host", 2), ("system_memory", "host", 2),
    ]
    return table.map { name, category, count in
      let repair: Distribution
      let down: Bool
      switch category {
      case "gpu", "host":
        (repair, down) = (.logNormal(mean: 24, standardDeviation: 12), true)
      case "network":
        (repair, down) = (.fixed(4), true)
      case "unplanned_maintenance":
        (repair, down) = (.fixed(6), true)
      default:
        (repair, down) = (.fixed(0), false)
      }
      return FailureComponent(
        name: name, category: category,
        ratePerNodeHour: Double(count) / exposureGPUHours * Double(gpusPerNode) * scale,
        repair: repair, takesNodeDown: down)
    }
  }
}
