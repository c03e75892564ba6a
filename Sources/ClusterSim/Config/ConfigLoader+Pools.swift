import Yams

extension ConfigLoader {
  static let clusterKeys = ["pools", "storage"]
  static let poolKeys = [
    "chip", "cost", "failures", "gpus_per_node", "name", "nodes", "price_per_gpu_hour",
    "spare_nodes",
  ]

  /// `cluster:`: its pools and checkpoint storage. Pools are nil when any is invalid.
  static func readCluster(
    _ value: ConfigValue, catalog: ChipCatalog, _ diagnostics: inout ConfigDiagnostics
  ) -> (pools: [Pool]?, storage: Storage?) {
    guard let cluster = ConfigMapping(value, allowedKeys: clusterKeys, diagnostics: &diagnostics)
    else { return (nil, nil) }
    let storage = cluster["storage"].flatMap { readStorage($0, &diagnostics) }
    guard let poolsValue = cluster.required("pools", &diagnostics),
      let items = poolsValue.list(&diagnostics)
    else { return (nil, storage) }
    let pools = readNamedList(
      items, in: poolsValue, kind: "pool", name: \.name, &diagnostics
    ) { item, diagnostics in readPool(item, catalog: catalog, &diagnostics) }
    return (pools, storage)
  }

  /// Reads a non-empty list of named items with `read`, reporting an empty list and names given
  /// twice. Returns the items in order, or nil when any is invalid.
  static func readNamedList<Item>(
    _ items: [ConfigValue], in list: ConfigValue, kind: String, name: (Item) -> String,
    _ diagnostics: inout ConfigDiagnostics,
    read: (ConfigValue, inout ConfigDiagnostics) -> Item?
  ) -> [Item]? {
    guard !items.isEmpty else {
      diagnostics.report(list, "at least one \(kind) is required")
      return nil
    }
    var values: [Item] = []
    var firstLineByName: [String: Int] = [:]
    var valid = true
    for item in items {
      guard let value = read(item, &diagnostics) else {
        valid = false
        continue
      }
      let itemName = name(value)
      if let firstLine = firstLineByName[itemName] {
        diagnostics.report(
          item.childValue("name"),
          "duplicate \(kind) name \"\(itemName)\" (first at line \(firstLine))")
        valid = false
        continue
      }
      firstLineByName[itemName] = item.line
      values.append(value)
    }
    return valid ? values : nil
  }

  static func readPool(
    _ item: ConfigValue, catalog: ChipCatalog, _ diagnostics: inout ConfigDiagnostics
  ) -> Pool? {
    guard let fields = ConfigMapping(item, allowedKeys: poolKeys, diagnostics: &diagnostics)
    else { return nil }
    let name = fields.required("name", &diagnostics)?.string(&diagnostics)
    var chip: Chip?
    if let chipValue = fields.required("chip", &diagnostics),
      let chipName = chipValue.string(&diagnostics)
    {
      chip = catalog[chipName]
      if chip == nil {
        let names = catalog.chips.map(\.name)
        diagnostics.report(
          chipValue,
          "unknown chip \"\(chipName)\"\(Suggestion.didYouMean(chipName, in: names)) "
            + "(catalog: \(names.joined(separator: ", ")); add new chips under \"chips\")")
      }
    }
    let nodes = fields.required("nodes", &diagnostics)?.integer(in: 1...1_000_000, &diagnostics)
    let gpusPerNode = fields["gpus_per_node"].map { $0.integer(in: 1...1024, &diagnostics) } ?? 8
    let spares = fields["spare_nodes"].map { $0.integer(in: 0...1_000_000, &diagnostics) } ?? 0
    let ownedCost = isOwned(fields["cost"])
    let price =
      ownedCost && !fields.has("price_per_gpu_hour")
      ? 0
      : fields.required("price_per_gpu_hour", &diagnostics)?
        .nonNegativeNumber(atMost: .pricePerGPUHour, &diagnostics)
    var failures = FailureModel.none
    if let given = fields["failures"], let gpusPerNode {
      guard let model = readFailures(given, gpusPerNode: gpusPerNode, &diagnostics) else {
        return nil
      }
      failures = model
    }
    guard let name, let chip, let nodes, let gpusPerNode, let spares, let price else { return nil }
    var cost = CostModel.rental(pricePerGPUHourUSD: price)
    if let given = fields["cost"] {
      guard let model = readCost(given, price: price, &diagnostics) else { return nil }
      cost = model
    }
    return Pool(
      name: name, chip: chip, nodes: nodes, gpusPerNode: gpusPerNode, spareNodes: spares,
      failures: failures, cost: cost)
  }
}

extension ConfigValue {
  /// The value under `key` when this is a mapping that has it; otherwise this value itself (for
  /// placing a message as close to its cause as the document allows).
  func childValue(_ key: String) -> ConfigValue {
    if case .mapping(let mapping) = node, let child = mapping[key] {
      return ConfigValue(node: child, path: childPath(key), fallback: (line, column))
    }
    return self
  }
}
