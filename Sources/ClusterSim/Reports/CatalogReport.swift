/// Renders a chip catalog as a table or JSON.
public struct CatalogReport: Sendable {
  public let catalog: ChipCatalog

  public init(_ catalog: ChipCatalog) {
    self.catalog = catalog
  }

  /// One row per chip: dense peaks per peak format, HBM, links and TDP; then the step-time
  /// constants, with a column per recipe only when some chip gives that recipe its own `gemm`.
  public func table() -> String {
    let precisions = Precision.peakFormats
    let header =
      ["chip"] + precisions.map { "\($0.name) TF" } + [
        "HBM GB", "HBM TB/s", "NVLink GB/s", "NVLink GPUs", "NIC Gb/s", "host GB/s", "TDP W",
      ]
    let rows = catalog.chips.map { chip in
      [chip.name]
        + precisions.map { precision in chip.peakTFLOPS[precision].map(Self.number) ?? "-" }
        + [
          Self.number(chip.hbmGB), Self.number(chip.hbmTBPerS), Self.number(chip.nvlinkGBPerS),
          String(chip.nvlinkDomainGPUs), Self.number(chip.nicGbps),
          Self.number(chip.hostLinkGBPerS), Self.number(chip.tdpWatts),
        ]
    }
    let table = TextTable(header: header, rows: rows, rightAligned: Set(1..<header.count))
    let recipes = Precision.allCases.filter { recipe in
      !recipe.isPeakFormat && catalog.chips.contains { $0.efficiency.gemm[recipe] != nil }
    }
    let gemmColumns = precisions + recipes
    let constantsHeader =
      ["chip"] + gemmColumns.map { "\($0.name) GEMM" } + [
        "half GFLOPs", "expert", "HBM", "NVLink", "network", "NVLink us", "network us",
        "prefill", "decode us/layer",
      ]
    let constants = catalog.chips.map { chip in
      let e = chip.efficiency
      return [chip.name]
        + gemmColumns.map { precision in
          chip.peakFLOPS(precision) == nil ? "-" : e.gemm(for: precision).map(Self.number) ?? "-"
        }
        + [
          Self.number(e.gemmHalfFLOPs / 1e9), Self.number(e.expertGEMM), Self.number(e.hbm),
          Self.number(e.nvlink), Self.number(e.network), Self.number(e.nvlinkLatencyUS),
          Self.number(e.networkLatencyUS), Self.number(e.prefill),
          Self.number(e.decodeLayerOverheadUS),
        ]
    }
    let constantsTable = TextTable(
      header: constantsHeader, rows: constants, rightAligned: Set(1..<constantsHeader.count))
    return "Dense peaks in TFLOPS (1e12 FLOP/s); NVLink per GPU, both directions; NIC per GPU; "
      + "host link per GPU, per direction.\n\n"
      + table.rendered(ruleBeforeLastRow: false)
      + "\nStep-time constants: fraction of peak a large GEMM reaches per precision, GEMM size at"
      + " half of it,\nexpert-GEMM factor, HBM / NVLink / network efficiency, latencies; inference"
      + " prefill efficiency and\ndecode overhead per layer and step (docs/model.md).\n\n"
      + constantsTable.rendered(ruleBeforeLastRow: false)
  }

  /// `{"schema": "clustersim.catalog/1", "chips": [...]}`, keys as in a config's `chips:`.
  public func json() -> JSONValue {
    let chips = catalog.chips.map { chip in
      JSONValue.object([
        ("name", .string(chip.name)),
        ("tflops", .object(chip.precisions.map { ($0.name, .number(chip.peakTFLOPS[$0] ?? 0)) })),
        ("hbm_gb", .number(chip.hbmGB)), ("hbm_tb_per_s", .number(chip.hbmTBPerS)),
        ("nvlink_gb_per_s", .number(chip.nvlinkGBPerS)),
        ("nvlink_domain_gpus", .integer(Int64(chip.nvlinkDomainGPUs))),
        ("nic_gbps", .number(chip.nicGbps)),
        ("host_link_gb_per_s", .number(chip.hostLinkGBPerS)),
        ("tdp_w", .number(chip.tdpWatts)),
        (
          "efficiency",
          .object(
            [
              (
                "gemm",
                .object(gemmKeys(chip).map { ($0.name, .number(chip.efficiency.gemm[$0] ?? 0)) })
              )
            ]
              + EfficiencyKey.scalars.map {
                ($0.name, JSONValue.number($0.configValue(in: chip.efficiency)))
              })
        ),
      ])
    }
    return .object([("schema", .string("clustersim.catalog/1")), ("chips", .array(chips))])
  }

  /// The `efficiency.gemm` keys of a chip: its peak formats, then the recipes it gives a figure
  /// of their own.
  func gemmKeys(_ chip: Chip) -> [Precision] {
    chip.precisions
      + Precision.allCases.filter { !$0.isPeakFormat && chip.efficiency.gemm[$0] != nil }
  }

  /// `312`, `2.039`, `494.5`: the shortest exact form.
  static func number(_ value: Double) -> String {
    TextTable.grouping(
      value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)")
  }
}
