/// Why a phase cannot be planned on a pool at a GPU count: the config key at fault (relative to
/// the phase: `parallelism.tp`, `gpus`, `checkpoint`; empty for the phase as a whole) and what to
/// do about it.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What kind of problem it is, for callers that add their own advice (the config loader
  /// proposes GPU counts; a sweep marks the point infeasible).
  public enum Kind: Sendable, Hashable {
    case other
    /// tp·pp·cp does not divide the GPUs.
    case gpusDoNotDivide
    /// The layout needs more memory than the chip has.
    case memory
    /// The pool has fewer GPUs than the phase asks for.
    case poolTooSmall
    /// The search found no layout that runs on the phase's GPUs.
    case noLayout
  }

  public var key: String
  public var message: String
  public var kind: Kind
  /// The phase and pool it was planned for, when known.
  public var phase: String?
  public var pool: String?

  public init(key: String, _ message: String, kind: Kind = .other) {
    self.key = key
    self.message = message
    self.kind = kind
  }

  /// A step-time model's rejection, naming the chip when a key is at fault.
  init(_ error: LayoutError, chip: Chip) {
    self.init(
      key: error.key, error.message + (error.key.isEmpty ? "" : " (on \(chip.name))"),
      kind: error.key.isEmpty ? .memory : .other)
  }

  public var description: String {
    let place = [phase.map { "phase \"\($0)\"" }, pool.map { "pool \"\($0)\"" }]
      .compactMap { $0 }.joined(separator: " on ")
    let keyed = key.isEmpty ? message : "\(key): \(message)"
    return place.isEmpty ? keyed : "\(place): \(keyed)"
  }
}
