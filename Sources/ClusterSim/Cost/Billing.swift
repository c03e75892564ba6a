/// What a phase costs under rental billing: every GPU it holds, from its start to its end, at the
/// pool's price per GPU-hour.
///
/// Later cost models (reserved pools, owned hardware) add their own rules beside this one.
public enum Billing {
  /// GPU-hours a phase holds: GPUs × wall-clock hours.
  public static func gpuHours(gpus: Int, wallClockHours: Double) -> Double {
    Double(gpus) * wallClockHours
  }

  /// Rental cost in US dollars: GPU-hours × price per GPU-hour.
  public static func rentalUSD(gpuHours: Double, pricePerGPUHourUSD: Double) -> Double {
    gpuHours * pricePerGPUHourUSD
  }
}
