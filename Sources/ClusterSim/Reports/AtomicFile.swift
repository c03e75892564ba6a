import Foundation

/// Writes output files so that a reader never sees a partial one and nothing is replaced that
/// should not be:
/// - `-` is standard output;
/// - a symbolic link is followed to its final target, which is written (the link stays);
/// - an existing FIFO, character device or socket is written straight (it cannot be renamed over);
/// - anything else goes to a temporary file in the target's directory, renamed over the target
///   (rename(2) is atomic within one file system) and removed on every failure path. The
///   temporary file is created exclusively and never through a symbolic link (`O_EXCL |
///   O_NOFOLLOW`), takes the mode and owner of the file it replaces, and a later run removes the
///   temporaries that a killed run left (`AtomicFile+Staging.swift`).
///
/// `writeAll` writes every output of one run first and renames them only then, so a failure or a
/// kill while writing leaves the old files, not a mix of old and new. `check` finds, before a
/// run, the destinations that cannot be written.
public enum AtomicFile {
  /// A file that could not be written: a failure while running (exit code 1).
  public struct WriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path.isEmpty ? "''" : path): \(reason)" }
  }

  /// Where one output goes.
  enum Destination {
    case standardOutput
    /// A FIFO, device or socket, written in place.
    case stream(String)
    /// A regular file (or none yet) at the resolved path, replaced through a temporary file.
    case file(String)
  }

  /// Hops a chain of symbolic links may take (Linux's limit, `MAXSYMLINKS`).
  static let maximumLinks = 40

  /// Where `path` would be written, or why it cannot be: empty, a directory, or in a directory
  /// that does not exist. Call it before a run so that a bad path fails before the work.
  public static func check(_ path: String) throws(WriteError) {
    _ = try destination(path)
  }

  static func destination(_ path: String) throws(WriteError) -> Destination {
    guard !path.isEmpty else { throw WriteError(path: path, reason: "the path is empty") }
    if path == "-" { return .standardOutput }
    var resolved = path
    var hops = 0
    var info = stat()
    while lstat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
      hops += 1
      guard hops <= maximumLinks,
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: resolved)
      else { throw WriteError(path: path, reason: "too many levels of symbolic links") }
      resolved =
        target.hasPrefix("/")
        ? target
        : URL(fileURLWithPath: resolved).deletingLastPathComponent().appendingPathComponent(target).path
    }
    if lstat(resolved, &info) == 0 {
      switch info.st_mode & S_IFMT {
      case S_IFDIR: throw WriteError(path: path, reason: "is a directory; give a file name")
      case S_IFIFO, S_IFCHR, S_IFSOCK: return .stream(resolved)
      case S_IFREG: return .file(resolved)
      default: throw WriteError(path: path, reason: "is not a regular file, FIFO or device")
      }
    }
    let directory = URL(fileURLWithPath: resolved).deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw WriteError(path: path, reason: "directory \(directory.path) does not exist")
    }
    return .file(resolved)
  }

  /// Writes `text` to `path` (see the type's rules).
  public static func write(_ text: String, to path: String) throws(WriteError) {
    try writeAll([(text, path)])
  }

  /// Writes every `(text, path)` (see `writeAll(bytes:)`).
  public static func writeAll(_ outputs: [(text: String, path: String)]) throws(WriteError) {
    try writeAll(bytes: outputs.map { (Array($0.text.utf8), $0.path) })
  }

  /// Writes every `(bytes, path)`: streams and standard output at once, files to temporary files
  /// first (each with the mode and owner of the file it replaces), renamed over their targets
  /// only when all were written. On any failure every temporary file is removed, and targets
  /// already renamed are put back, so no target is left replaced.
  ///
  /// A file with more than one hard link is the exception: renaming would split it from its
  /// other names, so it is rewritten in place, after every other output is staged; that one
  /// write is not atomic (docs/output.md).
  public static func writeAll(bytes outputs: [(bytes: [UInt8], path: String)]) throws(WriteError) {
    let destinations = try outputs.map { output throws(WriteError) in
      (output, try destination(output.path))
    }
    var staged: [Staged] = []
    func discard() {
      for item in staged { unlink(item.temporary) }
    }
    for (output, destination) in destinations {
      guard case .file(let target) = destination else { continue }
      do {
        staged.append(try stage(output.bytes, for: target, path: output.path))
      } catch {
        discard()
        throw error
      }
    }
    for (output, destination) in destinations {
      switch destination {
      case .standardOutput:
        FileHandle.standardOutput.write(Data(output.bytes))
      case .stream(let target):
        do {
          try writeInPlace(output.bytes, to: target, truncating: false)
        } catch {
          discard()
          throw WriteError(path: output.path, reason: error.reason)
        }
      case .file:
        continue
      }
    }
    try commit(staged)
  }
}
