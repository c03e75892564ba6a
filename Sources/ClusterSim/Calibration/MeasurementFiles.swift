import Foundation
import Yams

/// The measured phases of the files and folders `clustersim calibrate` is given: a folder
/// contributes each `.yaml` file directly in it that has a `measured:` list, in name order.
public enum MeasurementFiles {
  /// The files `paths` name, folders expanded, each read and parsed once: its YAML document goes
  /// on to the loader.
  static func files(_ paths: [String]) throws(ConfigError) -> [(file: String, root: Node)] {
    var files: [(file: String, root: Node)] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw .unreadable(
          file: path, reason: "cannot read the measurements: no such file or folder")
      }
      guard isDirectory.boolValue else {
        files.append((path, try ConfigLoader.compose(path: path)))
        continue
      }
      let names: [String]
      do {
        names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
      } catch {
        throw .unreadable(
          file: path, reason: "cannot list the folder: \(error.localizedDescription)")
      }
      for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
        let file = path.hasSuffix("/") ? path + name : path + "/" + name
        let root = try ConfigLoader.compose(path: file)
        if hasMeasurements(root) { files.append((file, root)) }
      }
    }
    return files
  }

  /// Whether a document's top level has a `measured:` key.
  static func hasMeasurements(_ root: Node) -> Bool {
    guard case .mapping(let mapping) = root else { return false }
    return mapping.contains { $0.key.string == "measured" }
  }

  /// A measured phase the step-time model cannot build as published (its layout breaks one of
  /// the model's rules), with the located reason: left out of the fit and listed.
  public struct Excluded: Sendable {
    public var id: String
    public var reason: String
  }

  /// Every measured phase of `paths`, in file order and then in each file's `measured:` order,
  /// and those the model cannot build.
  public static func cases(_ paths: [String]) throws(ConfigError) -> (
    cases: [CalibrationCase], excluded: [Excluded]
  ) {
    var cases: [CalibrationCase] = []
    var excluded: [Excluded] = []
    for (file, root) in try files(paths) {
      let program = try ConfigLoader.parsePlan(root: root, file: file, planning: false).program
      guard !program.measurements.isEmpty else {
        throw .unreadable(
          file: file,
          reason: "has no measured: list; add the published figure of a phase (docs/validation.md)")
      }
      for figure in program.measurements {
        do {
          cases.append(try CalibrationCase(figure: figure, program: program))
        } catch {
          excluded.append(Excluded(id: figure.id, reason: error.description))
        }
      }
    }
    return (cases, excluded)
  }
}
