import Foundation
import Yams

extension ConfigLoader {
  /// Keys of a file a config includes: chips, and further includes.
  static let includedKeys = ["chips", "include"]
  /// The deepest chain of includes followed.
  static let maximumIncludeDepth = 16

  /// `include:`: one path or a list of paths to chips files (`chips:` and `include:` only, such as
  /// the file `clustersim calibrate --output` writes), relative to the including file's folder.
  /// Each is applied in order, its own includes first, before the including file's `chips:`. A
  /// missing or unreadable file and a cycle are refused at the entry that names them.
  static func readIncludes(
    _ value: ConfigValue, file: String, chain: [String], into catalog: inout ChipCatalog,
    _ diagnostics: inout ConfigDiagnostics
  ) {
    let entries: [ConfigValue]
    if case .sequence = value.node {
      guard let list = value.list(&diagnostics) else { return }
      entries = list
    } else {
      entries = [value]
    }
    for entry in entries {
      guard let given = entry.string(&diagnostics) else { continue }
      let path = resolvedInclude(given, from: file)
      let identity = includeIdentity(path)
      if let start = chain.firstIndex(of: identity) {
        let loop = (chain[start...] + [identity]).map {
          URL(fileURLWithPath: $0).lastPathComponent
        }
        diagnostics.report(
          entry,
          "include cycle: \(loop.joined(separator: " -> ")); remove one of these includes")
        continue
      }
      guard chain.count < maximumIncludeDepth else {
        diagnostics.report(
          entry, "includes nest deeper than \(maximumIncludeDepth) files; flatten them")
        continue
      }
      do {
        let text = try text(path: path)
        let root = try compose(yaml: text, file: path)
        var included = ConfigDiagnostics(file: path)
        readIncluded(root, file: path, chain: chain + [identity], into: &catalog, &included)
        diagnostics.append(included.issues)
      } catch {
        let reason = error.issues.first?.message ?? "cannot be read"
        if error.issues.first?.keyPath == "(file)" {
          diagnostics.report(entry, "cannot include \"\(given)\": \(reason)")
        } else {
          diagnostics.append(error.issues)
        }
      }
    }
  }

  /// The chips of an included file, after its own includes.
  static func readIncluded(
    _ root: Node, file: String, chain: [String], into catalog: inout ChipCatalog,
    _ diagnostics: inout ConfigDiagnostics
  ) {
    let rootValue = ConfigValue(node: root, path: "", fallback: (1, 1))
    guard let top = ConfigMapping(rootValue, allowedKeys: includedKeys, diagnostics: &diagnostics)
    else { return }
    if let nested = top["include"] {
      readIncludes(nested, file: file, chain: chain, into: &catalog, &diagnostics)
    }
    if let chips = top["chips"] {
      readChips(chips, into: &catalog, &diagnostics)
    }
  }

  /// The path that names one file however it is reached (links resolved), for cycle checks.
  static func includeIdentity(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
  }

  /// `given` relative to the folder of `file` (the working folder for standard input), unless
  /// absolute.
  static func resolvedInclude(_ given: String, from file: String) -> String {
    if given.hasPrefix("/") || file == "-" { return given }
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
    return folder.appendingPathComponent(given).path
  }
}
