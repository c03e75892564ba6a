import Foundation

@testable import ClusterSim

/// Config-error suites: a valid config text, edited one piece at a time, and the messages the
/// loader gives for it.
protocol ConfigCases {
  /// A valid config; cases replace parts of it.
  static var valid: String { get }
}

extension ConfigCases {
  /// Every message of loading `yaml` as `configs/x.yaml`, or none when it loads.
  func messages(_ yaml: String) -> [String] {
    do {
      _ = try ConfigLoader.parse(yaml: yaml, file: "configs/x.yaml")
      return []
    } catch {
      return error.issues.map(\.description)
    }
  }

  /// `valid` with `old` replaced by `new`.
  func edited(_ old: String, _ new: String) -> String {
    precondition(Self.valid.contains(old), "case edits text that is not in the config: \(old)")
    return Self.valid.replacingOccurrences(of: old, with: new)
  }
}
