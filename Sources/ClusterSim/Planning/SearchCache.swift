import Synchronization

/// Layout searches already run in this process, by everything a search depends on: the phase's
/// spec, its precision, the chip with its constants, the GPUs per node and the GPUs.
///
/// A sweep re-reads and re-plans the whole config at every point. The phases it leaves alone, and
/// the swept phase at a size it has planned before (a `--set` of spares or prices crossed with
/// `--gpus`), then cost a lookup instead of a search. The search is a pure function of the key, so
/// a hit returns exactly what the search would: outputs are the same with or without the cache.
/// Memory stays bounded: past `capacity` entries the cache starts again empty.
final class SearchCache: Sendable {
  struct Key: Hashable, Sendable {
    var spec: TrainingSpec
    var precision: Precision
    var chip: Chip
    var gpusPerNode: Int
    var gpus: Int
  }

  /// The cache the planner uses.
  static let shared = SearchCache(capacity: 4096)

  let capacity: Int
  private let state = Mutex<(entries: [Key: PhasePlan.TrainedStep], searches: Int)>(([:], 0))

  init(capacity: Int) {
    self.capacity = capacity
  }

  /// Searches run so far (misses).
  var searches: Int { state.withLock { $0.searches } }

  /// The cached step for `key`, or the result of `search`, stored. A search that throws stores
  /// nothing. The lock is not held during the search, so two threads may both search one key;
  /// both get the same step.
  func step(
    for key: Key, search: () throws(PlanError) -> PhasePlan.TrainedStep
  ) throws(PlanError) -> PhasePlan.TrainedStep {
    if let hit = state.withLock({ $0.entries[key] }) { return hit }
    let step = try search()
    state.withLock { state in
      if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
      state.entries[key] = step
      state.searches += 1
    }
    return step
  }
}
