/// What happened in one replication, slice by slice: for schedule traces and Gantt charts.
public struct Timeline: Sendable, Hashable {
  /// What a phase was doing.
  public enum Activity: String, Sendable, Hashable, CaseIterable {
    case compute
    case checkpoint
    case restart
    case waitForRepair = "wait_for_repair"
    case maintenance
  }

  /// A phase doing one thing on its pool from `startHours` to `endHours`.
  public struct Slice: Sendable, Hashable {
    public var phase: Int
    public var pool: Int
    public var activity: Activity
    public var startHours: Double
    public var endHours: Double
  }

  /// A node failing or coming back from repair.
  public struct Mark: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case failure, repair }
    public var kind: Kind
    public var pool: Int
    /// The node's number within its pool.
    public var node: Int
    /// The failed component (empty for repairs).
    public var component: String
    /// The phase that held the node, if any.
    public var phase: Int?
    public var hours: Double
  }

  public var slices: [Slice] = []
  public var marks: [Mark] = []

  public init() {}
}
