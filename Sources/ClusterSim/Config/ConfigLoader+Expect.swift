import Yams

extension ConfigLoader {
  /// What a result path may start with.
  static let expectationHeads = ["phases", "pools", "total", "order", "end_order"]

  /// `expect:`, a list of `PATH: VALUE` entries, or `{path: PATH, value: VALUE, known_miss:
  /// REASON}` (docs/check.md). The path's phase or pool must exist; the rest of it is checked
  /// against the result once the run has one.
  static func readExpectations(
    _ value: ConfigValue, phases: [String], pools: [String], sweep: Bool,
    _ diagnostics: inout ConfigDiagnostics
  ) -> [ExpectedOutcome] {
    guard case .sequence(let sequence) = value.node else {
      diagnostics.report(
        value, "expected a list of expectations (- PATH: VALUE), got \(value.shown)")
      return []
    }
    var result: [ExpectedOutcome] = []
    for (index, node) in sequence.enumerated() {
      let entry = ConfigValue(
        node: node, path: "\(value.path)[\(index)]", fallback: (value.line, value.column))
      if let expectation = readExpectation(
        entry, phases: phases, pools: pools, sweep: sweep, &diagnostics)
      {
        result.append(expectation)
      }
    }
    return result
  }

  static func readExpectation(
    _ entry: ConfigValue, phases: [String], pools: [String], sweep: Bool,
    _ diagnostics: inout ConfigDiagnostics
  ) -> ExpectedOutcome? {
    guard case .mapping(let mapping) = entry.node, let first = mapping.first else {
      diagnostics.report(entry, "expected PATH: VALUE (e.g. total.cost_usd.mean: 294000 ± 5%), got \(entry.shown)")
      return nil
    }
    var pathText: String
    var pathValue: ConfigValue
    var written: ConfigValue
    var knownMiss: String?
    let firstKey = first.key.scalar?.string ?? ""
    if mapping.count == 1, firstKey != "path" {
      pathText = firstKey
      pathValue = ConfigValue(node: first.key, path: entry.path, fallback: (entry.line, entry.column))
      written = ConfigValue(node: first.value, path: entry.childPath(firstKey), fallback: (entry.line, entry.column))
    } else {
      guard
        let fields = ConfigMapping(
          entry, allowedKeys: ["known_miss", "path", "value"], diagnostics: &diagnostics),
        let path = fields.required("path", &diagnostics),
        let given = fields.required("value", &diagnostics), let text = path.string(&diagnostics)
      else { return nil }
      pathText = text
      pathValue = path
      written = given
      if let miss = fields["known_miss"] { knownMiss = miss.string(&diagnostics, prose: true) }
    }
    guard
      let path = checkedPath(
        pathText, at: pathValue, phases: phases, pools: pools, sweep: sweep, &diagnostics)
    else { return nil }
    let test: ExpectationTest
    if let order = ExpectationTest.OrderKey(rawValue: pathText) {
      guard let names = readOrder(written, phases: phases, &diagnostics) else { return nil }
      test = .order(names, by: order)
    } else {
      guard case .scalar(let scalar) = written.node else {
        diagnostics.report(written, "\(ExpectationSyntax.forms), got \(written.shown)")
        return nil
      }
      let textual = path.segments.last == .key("pool") || path.head == "sweep"
      switch ExpectationSyntax.parse(scalar.string, textual: textual) {
      case .success(let parsed): test = parsed
      case .failure(let problem):
        diagnostics.report(written, problem.message)
        return nil
      }
      if case .near(_, .standardErrors) = test, path.segments.last != .key("mean") || path.isSum {
        diagnostics.report(
          written,
          "a tolerance in standard errors (se) applies to one mean (not a sum); end the path in "
            + ".mean or give the tolerance as a number or a percentage")
        return nil
      }
    }
    let shown: String
    if case .order(let names, _) = test {
      shown = "[" + names.joined(separator: ", ") + "]"
    } else {
      shown = written.node.scalar?.string ?? written.shown
    }
    return ExpectedOutcome(
      path: pathText, test: test, written: shown,
      knownMiss: knownMiss, line: entry.line, column: entry.column, valueLine: written.line,
      valueColumn: written.column)
  }

  /// The path, if it starts with a known head, names an existing phase or pool, and reads a
  /// sweep only when the config has a `sweep:` block.
  static func checkedPath(
    _ text: String, at value: ConfigValue, phases: [String], pools: [String], sweep: Bool,
    _ diagnostics: inout ConfigDiagnostics
  ) -> ResultPath? {
    guard let path = ResultPath(text), let head = path.head else {
      diagnostics.report(value, "\"\(text)\" is not a result path (e.g. phases.NAME.gpu_hours.mean)")
      return nil
    }
    guard expectationHeads.contains(head) || head == "sweep" else {
      diagnostics.report(
        value,
        "a result path starts with phases, pools, total, order, end_order or sweep, got \"\(head)\""
          + Suggestion.didYouMean(head, in: expectationHeads + ["sweep"]))
      return nil
    }
    if head == "sweep", !sweep {
      diagnostics.report(
        value,
        "\(text) is a sweep's result: give the config a sweep: block (phase, gpus, set, "
          + "replications; docs/check.md)")
      return nil
    }
    let names = head == "phases" ? phases : head == "pools" ? pools : []
    if !names.isEmpty {
      guard path.segments.count >= 3 else {
        diagnostics.report(
          value, "\(head).NAME needs a result after it (e.g. \(head).\(names[0]).\(head == "phases" ? "gpu_hours" : "utilization").mean)")
        return nil
      }
      let listed: [String]
      switch path.segments[1] {
      case .key(let key): listed = [key]
      case .select(let key): listed = key.split(separator: "+").map(String.init)
      }
      for name in listed where !names.contains(name) {
        let noun = head == "phases" ? "phase" : "pool"
        diagnostics.report(
          value,
          "no \(noun) \"\(name)\""
            + (Suggestion.nearest(to: name, in: names).map { "; did you mean \"\($0)\"?" }
              ?? "; \(head): \(names.joined(separator: ", "))"))
        return nil
      }
    }
    return path
  }

  /// `order: [a, b, ...]`: phase names, each once.
  static func readOrder(
    _ value: ConfigValue, phases: [String], _ diagnostics: inout ConfigDiagnostics
  ) -> [String]? {
    guard case .sequence(let sequence) = value.node, sequence.count >= 2 else {
      diagnostics.report(value, "expected a list of at least two phase names, got \(value.shown)")
      return nil
    }
    var names: [String] = []
    for (index, node) in sequence.enumerated() {
      let item = ConfigValue(node: node, path: "\(value.path)[\(index)]", fallback: (value.line, value.column))
      guard let name = item.string(&diagnostics) else { return nil }
      guard phases.contains(name) else {
        diagnostics.report(item, "no phase \"\(name)\"" + Suggestion.didYouMean(name, in: phases))
        return nil
      }
      guard !names.contains(name) else {
        diagnostics.report(item, "phase \"\(name)\" is listed twice")
        return nil
      }
      names.append(name)
    }
    return names
  }

  /// `sweep:`: the flags of `clustersim sweep` (phase, gpus, set, replications), for `sweep.*`
  /// expectations. Each value is checked as the flag would be.
  static func readSweep(
    _ value: ConfigValue, phases: [String], _ diagnostics: inout ConfigDiagnostics
  ) -> SweepSettings? {
    guard
      let fields = ConfigMapping(
        value, allowedKeys: ["gpus", "phase", "replications", "set", "together"],
        diagnostics: &diagnostics)
    else { return nil }
    var settings = SweepSettings()
    let before = diagnostics.issues.count
    if let phase = fields["phase"], let name = phase.string(&diagnostics) {
      if phases.contains(name) {
        settings.phase = name
      } else {
        diagnostics.report(phase, "no phase \"\(name)\"" + Suggestion.didYouMean(name, in: phases))
      }
    }
    if let gpus = fields["gpus"] {
      let text = gpus.node.scalar?.string ?? ""
      do {
        settings.gpus = try SweepAxis.gpuCounts(text)
      } catch {
        diagnostics.report(gpus, error.message)
      }
      if settings.phase == nil, fields["phase"] == nil {
        diagnostics.report(gpus, "gpus needs phase: the phase it sizes")
      }
    }
    if let set = fields["set"] {
      let entries: [ConfigValue]
      if case .sequence = set.node {
        entries = set.list(&diagnostics) ?? []
      } else {
        entries = [set]
      }
      for entry in entries {
        guard let text = entry.string(&diagnostics) else { continue }
        do {
          settings.axes.append(try SweepAxis(setting: text))
        } catch {
          diagnostics.report(entry, error.message)
        }
      }
    }
    if let together = fields["together"] {
      settings.axes += readTogether(together, &diagnostics)
    }
    if diagnostics.issues.count == before {
      do {
        _ = try SweepAxis.pointCount(gpus: settings.gpus?.count, axes: settings.axes)
      } catch {
        let place = fields["together"] ?? fields["set"] ?? fields["gpus"] ?? value
        diagnostics.report(place, error.message)
      }
    }
    if let replications = fields["replications"] {
      settings.replications = replications.integer(
        in: 1...SimulationSettings.maximumReplications, &diagnostics)
    }
    return diagnostics.issues.count == before ? settings : nil
  }
}

extension ConfigLoader {
  /// `sweep.together`: one group of `KEY=V1,V2,...` entries whose values move together, or a
  /// list of such groups, as `--set-together` takes them.
  static func readTogether(_ value: ConfigValue, _ diagnostics: inout ConfigDiagnostics)
    -> [SweepAxis]
  {
    guard let items = value.list(&diagnostics) else { return [] }
    let groups: [ConfigValue] =
      items.contains { if case .sequence = $0.node { true } else { false } } ? items : [value]
    var axes: [SweepAxis] = []
    for group in groups {
      guard let entries = group.list(&diagnostics) else { continue }
      var texts: [String] = []
      for entry in entries {
        guard let text = entry.string(&diagnostics) else { return axes }
        texts.append(text)
      }
      do {
        axes += try SweepAxis.together(texts, flag: "")
      } catch {
        diagnostics.report(group, error.description)
      }
    }
    return axes
  }
}
