import Foundation

extension AtomicFile {
  /// An output written to its temporary file, waiting to replace its target.
  struct Staged {
    var temporary: String
    var target: String
    /// The path as the user gave it, for messages.
    var path: String
    /// The bytes to write over the target in place, when it has other hard links (a rename
    /// would split it from them); nil when the temporary file is renamed over it.
    var inPlace: [UInt8]?
  }

  /// The temporary file beside `target`: `.NAME.PID.tmp`, or `.NAME.PID.K.tmp` when that name is
  /// taken. The process id lets a later run tell a dead run's leftovers from a live run's files.
  static func temporaryName(for target: String, attempt: Int) -> String {
    let url = URL(fileURLWithPath: target)
    let pid = ProcessInfo.processInfo.processIdentifier
    let name = ".\(url.lastPathComponent).\(pid)\(attempt == 0 ? "" : ".\(attempt)").tmp"
    return url.deletingLastPathComponent().appendingPathComponent(name).path
  }

  /// Writes `bytes` to a new temporary file beside `target`, created exclusively and not through
  /// a link, with the mode and owner of the file it will replace (or the mode a new file gets
  /// under the umask), synced to disk.
  static func stage(_ bytes: [UInt8], for target: String, path: String) throws(WriteError) -> Staged
  {
    removeStaleTemporaries(of: target)
    var existing = stat()
    let exists = stat(target, &existing) == 0
    var temporary = ""
    var descriptor: Int32 = -1
    for attempt in 0..<100 {
      temporary = temporaryName(for: target, attempt: attempt)
      descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      if descriptor >= 0 || errno != EEXIST { break }
    }
    guard descriptor >= 0 else {
      throw WriteError(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    do throws(WriteError) {
      try writeAll(bytes, descriptor: descriptor, path: temporary)
      let mode = exists ? existing.st_mode & 0o7777 : 0o666 & ~currentUmask()
      if exists, fchown(descriptor, existing.st_uid, existing.st_gid) != 0, errno != EPERM {
        throw WriteError(path: temporary, reason: String(cString: strerror(errno)))
      }
      if fchmod(descriptor, mode) != 0 {
        throw WriteError(path: temporary, reason: String(cString: strerror(errno)))
      }
      if fsync(descriptor) != 0, errno != EINVAL {
        throw WriteError(path: temporary, reason: String(cString: strerror(errno)))
      }
    } catch {
      unlink(temporary)
      throw WriteError(path: path, reason: error.reason)
    }
    return Staged(
      temporary: temporary, target: target, path: path,
      inPlace: exists && existing.st_nlink > 1 ? bytes : nil)
  }

  /// The process's file-creation mask (read by setting and restoring it).
  static func currentUmask() -> mode_t {
    let mask = umask(0o022)
    umask(mask)
    return mask
  }

  /// Puts every staged output in place: renames first, then the in-place rewrites of files with
  /// other hard links. When a rename fails, the targets already replaced get their old files
  /// back (kept under a second name until all renames are done) and every temporary is removed.
  static func commit(_ staged: [Staged]) throws(WriteError) {
    var replaced: [(target: String, backup: String?, existed: Bool)] = []
    func rollBack() {
      for item in replaced.reversed() {
        if let backup = item.backup {
          rename(backup, item.target)
        } else if !item.existed {
          unlink(item.target)
        }
      }
      for item in staged { unlink(item.temporary) }
    }
    for item in staged where item.inPlace == nil {
      var info = stat()
      let existed = lstat(item.target, &info) == 0
      var backup: String? = existed ? temporaryName(for: item.target, attempt: 100) : nil
      if let name = backup, link(item.target, name) != 0 { backup = nil }
      if rename(item.temporary, item.target) != 0 {
        let reason = String(cString: strerror(errno))
        if let backup { unlink(backup) }
        rollBack()
        throw WriteError(path: item.path, reason: reason)
      }
      replaced.append((item.target, backup, existed))
    }
    for item in staged {
      guard let bytes = item.inPlace else { continue }
      do {
        try writeInPlace(bytes, to: item.target, truncating: true)
      } catch {
        rollBack()
        throw WriteError(path: item.path, reason: error.reason)
      }
    }
    for case (_, let backup?, _) in replaced { unlink(backup) }
    for item in staged where item.inPlace != nil { unlink(item.temporary) }
  }

  /// Removes the temporaries a killed run left beside `target`: files named `.NAME.PID.tmp` or
  /// `.NAME.PID.K.tmp` whose process no longer exists, that are regular files (never a link)
  /// owned by this user. A live run's temporaries, and anything else, are left alone.
  static func removeStaleTemporaries(of target: String) {
    let url = URL(fileURLWithPath: target)
    let directory = url.deletingLastPathComponent().path
    let prefix = ".\(url.lastPathComponent)."
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return
    }
    for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
      let middle = name.dropFirst(prefix.count).dropLast(4).split(
        separator: ".", omittingEmptySubsequences: false)
      guard (1...2).contains(middle.count),
        middle.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
        let pid = Int32(middle[0]), pid > 0, pid != ProcessInfo.processInfo.processIdentifier
      else { continue }
      guard kill(pid, 0) != 0, errno == ESRCH else { continue }
      let path = directory + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid()
      else { continue }
      unlink(path)
    }
  }

  /// Writes all of `bytes` to an open descriptor, retrying interrupted writes.
  static func writeAll(_ bytes: [UInt8], descriptor: Int32, path: String) throws(WriteError) {
    var offset = 0
    while offset < bytes.count {
      // The loop runs only while bytes remain, so the buffer has a base address.
      let written = bytes.withUnsafeBytes { buffer in
        buffer.baseAddress.map { Foundation.write(descriptor, $0 + offset, buffer.count - offset) } ?? 0
      }
      if written < 0, errno == EINTR { continue }
      guard written > 0 else {
        throw WriteError(path: path, reason: String(cString: strerror(errno)))
      }
      offset += written
    }
  }

  /// Writes `bytes` into an existing file through one descriptor: a FIFO, device or socket as
  /// it is; a hard-linked regular file truncated first (never opened through a link) and synced,
  /// so every link sees the new contents.
  static func writeInPlace(_ bytes: [UInt8], to path: String, truncating: Bool) throws(WriteError) {
    let descriptor = open(path, O_WRONLY | O_CLOEXEC | (truncating ? O_TRUNC | O_NOFOLLOW : 0))
    guard descriptor >= 0 else {
      throw WriteError(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    try writeAll(bytes, descriptor: descriptor, path: path)
    if truncating, fsync(descriptor) != 0, errno != EINVAL {
      throw WriteError(path: path, reason: String(cString: strerror(errno)))
    }
  }
}
