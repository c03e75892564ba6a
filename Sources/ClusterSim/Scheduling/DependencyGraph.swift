/// The `depends_on` graph of a program's phases.
struct DependencyGraph {
  /// For each phase, the phases it depends on.
  let edges: [[Int]]

  init(phases: [Phase]) {
    edges = phases.map(\.dependencies)
  }

  /// A cycle as a list of phase indices (each depends on the next, the last on the first),
  /// starting from the lowest phase index on it; nil when the graph is acyclic. Iterative
  /// depth-first search, O(V + E).
  func firstCycle() -> [Int]? {
    enum Mark { case unvisited, onStack, done }
    var marks = [Mark](repeating: .unvisited, count: edges.count)
    for start in edges.indices where marks[start] == .unvisited {
      var stack: [(node: Int, next: Int)] = [(start, 0)]
      marks[start] = .onStack
      while let top = stack.last {
        if top.next < edges[top.node].count {
          stack[stack.count - 1].next += 1
          let target = edges[top.node][top.next]
          switch marks[target] {
          case .unvisited:
            marks[target] = .onStack
            stack.append((target, 0))
          case .onStack:
            let path = stack.map(\.node)
            guard let from = path.firstIndex(of: target) else { continue }
            let cycle = Array(path[from...])
            let lowest = cycle.indices.min { cycle[$0] < cycle[$1] } ?? 0
            return Array(cycle[lowest...] + cycle[..<lowest])
          case .done:
            continue
          }
        } else {
          marks[top.node] = .done
          stack.removeLast()
        }
      }
    }
    return nil
  }
}
