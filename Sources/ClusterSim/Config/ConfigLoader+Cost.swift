import Yams

extension ConfigLoader {
  static let costKeys = [
    "electricity_usd_per_kwh", "lifetime_years", "model", "overhead_usd_per_node_hour", "pue",
    "purchase_usd_per_gpu", "utilization",
  ]

  /// Whether `cost.model` says `owned` (then the pool needs no price per GPU-hour).
  static func isOwned(_ value: ConfigValue?) -> Bool {
    guard let value, case .mapping(let mapping) = value.node,
      let model = mapping["model"]?.scalar?.string
    else { return false }
    return model == CostModelKind.owned.rawValue
  }

  /// `pools[].cost`: `model: rental | reserved` at the pool's `price_per_gpu_hour`, or
  /// `model: owned` with its purchase, lifetime, power and overhead.
  static func readCost(_ value: ConfigValue, price: Double, _ diagnostics: inout ConfigDiagnostics)
    -> CostModel?
  {
    guard let fields = ConfigMapping(value, allowedKeys: costKeys, diagnostics: &diagnostics),
      let modelValue = fields.required("model", &diagnostics),
      let model = choice(modelValue, CostModelKind.self, named: "cost model", &diagnostics)
    else { return nil }
    let ownedKeys = costKeys.filter { $0 != "model" }
    switch model {
    case .rental, .reserved:
      if let extra = ownedKeys.first(where: fields.has), let at = fields[extra] {
        diagnostics.report(at, "applies only to model: owned")
        return nil
      }
      return model == .rental
        ? .rental(pricePerGPUHourUSD: price) : .reserved(pricePerGPUHourUSD: price)
    case .owned:
      func number(_ key: String, in range: ClosedRange<Double>) -> Double? {
        guard let given = fields.required(key, &diagnostics),
          let number = given.number(&diagnostics)
        else { return nil }
        guard range.contains(number) else {
          diagnostics.report(
            given,
            "must be between \(ConfigValue.format(range.lowerBound)) and "
              + "\(ConfigValue.format(range.upperBound)), got \(ConfigValue.format(number))")
          return nil
        }
        return number
      }
      let purchase = number("purchase_usd_per_gpu", in: 0...10_000_000)
      let lifetime = number("lifetime_years", in: 0.1...50)
      let utilization = number("utilization", in: 0...1)
      let pue = number("pue", in: 1...5)
      let electricity = number("electricity_usd_per_kwh", in: 0...10)
      let overhead = number("overhead_usd_per_node_hour", in: 0...100_000)
      guard let purchase, let lifetime, let utilization, let pue, let electricity, let overhead
      else { return nil }
      return .owned(
        OwnedCost(
          purchaseUSDPerGPU: purchase, lifetimeYears: lifetime, utilization: utilization,
          pue: pue, electricityUSDPerKWh: electricity, overheadUSDPerNodeHour: overhead))
    }
  }
}
