import Testing

@testable import HomelabCore

@Suite struct StepGraphTests {
    @Test func findsEachCycleOnceInDependencyDirection() {
        let graph = StepGraph(nodes: ["a", "b", "c", "d", "e"], edges: ["a": ["b"], "b": ["c"], "c": ["a"], "d": ["d"], "e": ["a"]])
        #expect(graph.cycles() == [["a", "b", "c", "a"], ["d", "d"]])
    }

    @Test func anAcyclicGraphHasNoCycles() {
        let graph = StepGraph(nodes: ["a", "b", "c"], edges: ["c": ["a", "b"], "b": ["a"]])
        #expect(graph.cycles().isEmpty)
        #expect(graph.topologicalOrder().map { graph.nodes[$0] } == ["a", "b", "c"])
    }

    @Test func aLongChainDoesNotExhaustTheStack() {
        let count = 50_000
        let nodes = (0..<count).map { "s\($0)" }
        var edges: [String: [String]] = [:]
        for i in 1..<count { edges["s\(i)"] = ["s\(i - 1)"] }
        edges["s0"] = ["s\(count - 1)"]
        let cycles = StepGraph(nodes: nodes, edges: edges).cycles()
        #expect(cycles.count == 1)
        #expect(cycles.first?.count == count + 1)
    }
}
