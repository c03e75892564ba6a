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

  mutating func append(_ node: Int, position: inout [Int]) {
    position[node] = slots.count
    slots.append(node)
    count += 1
  }

  mutating func append(contentsOf list: NodeList, position: inout [Int]) {
    for node in list { append(node, position: &position) }
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

  /// The last `n` nodes, in list order, taken out.
  mutating func removeLast(_ n: Int) -> [Int] {
    var taken: [Int] = []
    taken.reserveCapacity(n)
    for _ in 0..<n {
      guard let node = popLast() else { break }
      taken.append(node)
    }
    return taken.reversed()
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
