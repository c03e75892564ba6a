/// Nodes in the order they joined the list (the free nodes of a pool, the nodes a phase holds),
/// with any one removed in O(1): its slot is emptied, the rest keep their order, and the list is
/// compacted once half its slots are empty. `position[node]` is the node's slot in the list that
/// holds it (a node is in at most one list).
///
/// A failed node used to be removed by scanning its list, O(nodes) per failure: 100,000 nodes
/// failing 194,000 times took 9 s per replication. The order the lists give is the order the
/// scan left, so every outcome is the same.
struct NodeList: Sequence {
  /// Nodes, or -1 where one was removed.
  private var slots: [Int] = []
  /// Nodes in the list.
  private(set) var count = 0

  var isEmpty: Bool { count == 0 }

  init() {}

  /// `nodes` in order, their positions recorded.
  init(_ nodes: some Sequence<Int>, position: inout [Int]) {
    for node in nodes { append(node, position: &position) }
  }

  /// Holds exactly `nodes` from the highest down (a pool's free list at the start), keeping
  /// the storage: one pass, no per-node growth checks.
  mutating func reset(descending nodes: Range<Int>, position: inout [Int]) {
    slots.removeAll(keepingCapacity: true)
    slots.reserveCapacity(nodes.count)
    slots.append(contentsOf: nodes.reversed())
    count = nodes.count
    recordPositions(from: 0, &position)
  }

  mutating func append(_ node: Int, position: inout [Int]) {
    position[node] = slots.count
    slots.append(node)
    count += 1
  }

  /// Appends `list`'s nodes in order: one copy of its slots when it has no empty ones.
  mutating func append(contentsOf list: NodeList, position: inout [Int]) {
    let start = slots.count
    if list.count == list.slots.count {
      slots.append(contentsOf: list.slots)
    } else {
      slots.reserveCapacity(start + list.count)
      for node in list.slots where node >= 0 { slots.append(node) }
    }
    count += list.count
    recordPositions(from: start, &position)
  }

  /// Records the position of every node in slots `start...`.
  private func recordPositions(from start: Int, _ position: inout [Int]) {
    slots.withUnsafeBufferPointer { slots in
      position.withUnsafeMutableBufferPointer { position in
        for slot in start..<slots.count { position[slots[slot]] = slot }
      }
    }
  }

  /// Takes `node` out; the others keep their order.
  mutating func remove(_ node: Int, position: inout [Int]) {
    let slot = position[node]
    precondition(slots.indices.contains(slot) && slots[slot] == node, "node \(node) is not in the list")
    slots[slot] = -1
    count -= 1
    if count == 0 {
      slots.removeAll(keepingCapacity: true)
    } else if slots.count > 64, slots.count > 2 * count {
      slots.removeAll { $0 < 0 }
      for (slot, node) in slots.enumerated() { position[node] = slot }
    }
  }

  /// The last node, taken out.
  mutating func popLast() -> Int? {
    while let last = slots.last, last < 0 { slots.removeLast() }
    guard let node = slots.popLast() else { return nil }
    count -= 1
    return node
  }

  /// Moves the last `n` nodes (all, if fewer), in list order, to the end of `list`.
  mutating func moveLast(_ n: Int, to list: inout NodeList, position: inout [Int]) {
    while let last = slots.last, last < 0 { slots.removeLast() }
    // The last n live slots start at `from`; the empty slots among them are skipped.
    var from = slots.count
    var live = 0
    while live < n, from > 0 {
      from -= 1
      if slots[from] >= 0 { live += 1 }
    }
    let start = list.slots.count
    if live == slots.count - from {
      list.slots.append(contentsOf: slots[from...])
    } else {
      list.slots.reserveCapacity(start + live)
      for slot in from..<slots.count where slots[slot] >= 0 { list.slots.append(slots[slot]) }
    }
    list.recordPositions(from: start, &position)
    list.count += live
    count -= live
    slots.removeSubrange(from...)
  }

  mutating func removeAll() {
    slots.removeAll(keepingCapacity: true)
    count = 0
  }

  struct Iterator: IteratorProtocol {
    var slots: IndexingIterator<[Int]>
    mutating func next() -> Int? {
      while let node = slots.next() {
        if node >= 0 { return node }
      }
      return nil
    }
  }

  func makeIterator() -> Iterator { Iterator(slots: slots.makeIterator()) }
}
