/// A directed graph over step ids (edges point from a step to what it needs). Iterative
/// algorithms only: a 10,000-step chain must not exhaust the stack.
public struct StepGraph: Sendable {
    /// Nodes in declaration order; the order every result follows.
    public let nodes: [String]
    public let edges: [[Int]]

    public init(nodes: [String], edges: [String: [String]]) {
        self.nodes = nodes
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() { index[node] = i }
        self.edges = nodes.map { node in (edges[node] ?? []).compactMap { index[$0] } }
    }

    /// A graph whose edges are already indexes into `nodes`.
    public init(nodes: [String], indexEdges: [[Int]]) {
        self.nodes = nodes
        self.edges = indexEdges
    }

    /// One cycle per strongly connected component that has one, each as a path that starts and
    /// ends at the same node (`[a, b, c, a]`), starting at its earliest-declared node.
    public func cycles() -> [[String]] {
        stronglyConnectedComponents()
            .filter { $0.count > 1 || edges[$0[0]].contains($0[0]) }
            .sorted { $0[0] < $1[0] }
            .map { cyclePath(in: Set($0)) }
    }

    /// Tarjan's algorithm with an explicit stack.
    private func stronglyConnectedComponents() -> [[Int]] {
        var indexOf = [Int](repeating: -1, count: nodes.count)
        var lowlink = [Int](repeating: 0, count: nodes.count)
        var onStack = [Bool](repeating: false, count: nodes.count)
        var stack: [Int] = []
        var components: [[Int]] = []
        var counter = 0
        for start in nodes.indices where indexOf[start] < 0 {
            var work: [(node: Int, next: Int)] = [(start, 0)]
            indexOf[start] = counter
            lowlink[start] = counter
            counter += 1
            stack.append(start)
            onStack[start] = true
            while let (node, next) = work.last {
                if next < edges[node].count {
                    work[work.count - 1].next += 1
                    let target = edges[node][next]
                    if indexOf[target] < 0 {
                        indexOf[target] = counter
                        lowlink[target] = counter
                        counter += 1
                        stack.append(target)
                        onStack[target] = true
                        work.append((target, 0))
                    } else if onStack[target] {
                        lowlink[node] = min(lowlink[node], indexOf[target])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.node { lowlink[parent] = min(lowlink[parent], lowlink[node]) }
                if lowlink[node] == indexOf[node] {
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(member)
                        if member == node { break }
                    }
                    components.append(component.sorted())
                }
            }
        }
        return components
    }

    /// A shortest cycle through the component's first node (breadth-first inside the component).
    private func cyclePath(in component: Set<Int>) -> [String] {
        let start = component.min()!
        var previous: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for target in edges[node] where component.contains(target) {
                if target == start {
                    var path = [start]
                    var cursor = node
                    while cursor != start {
                        path.append(cursor)
                        cursor = previous[cursor]!
                    }
                    // `path` holds the cycle backwards from the start; edges point at needs, so
                    // reverse it to read in the direction of the edges: a -> b means a needs b.
                    return ([start] + path.dropFirst().reversed() + [start]).map { nodes[$0] }
                }
                if previous[target] == nil, target != start {
                    previous[target] = node
                    queue.append(target)
                }
            }
        }
        return [nodes[start], nodes[start]]
    }

    /// Nodes ordered so that every node comes after what it needs (valid only without cycles).
    public func topologicalOrder() -> [Int] {
        var remaining = edges.map(\.count)
        var dependents = [[Int]](repeating: [], count: nodes.count)
        for (node, targets) in edges.enumerated() { for target in targets { dependents[target].append(node) } }
        var ready = nodes.indices.filter { remaining[$0] == 0 }
        var order: [Int] = []
        var head = 0
        while head < ready.count {
            let node = ready[head]
            head += 1
            order.append(node)
            for dependent in dependents[node] {
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { ready.append(dependent) }
            }
        }
        return order
    }
}
