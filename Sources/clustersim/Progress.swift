import Foundation

/// A progress line on standard error, only when it is a terminal and the run has lasted over a
/// second: replications done, rate, time left. Nothing at all otherwise.
final class ProgressLine {
  let total: Int
  let start = Date()
  let enabled = isatty(STDERR_FILENO) == 1
  var shown = false

  init(total: Int) {
    self.total = total
  }

  func update(_ done: Int) {
    let elapsed = Date().timeIntervalSince(start)
    guard enabled, elapsed > 1, done > 0 else { return }
    let rate = Double(done) / elapsed
    let left = Double(total - done) / rate
    let line = String(
      format: "\r%d/%d replications, %.0f/s, %.0f s left   ", done, total, rate, left)
    FileHandle.standardError.write(Data(line.utf8))
    shown = true
  }

  func finish() {
    guard shown else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}
