import Foundation
import Testing
import Yams

@testable import HomelabCore

/// Mutates valid runbooks at random — in their tree (delete, duplicate, retype, rename) and in
/// their text (lines deleted, duplicated, characters inserted, truncation) — and checks that the
/// loader never crashes and always answers: either a plan, or at least one located error.
@Suite struct MutationTests {
    static let seeds = [
        Fixtures.path("plans/wide.yaml"),
        GoldenPlanTests.repository.appendingPathComponent("runbooks/examples/demo-recovery.yaml").path,
    ]
    static let casesPerSeed = 1_000 // 4,000 cases in all; about 20 s in a debug build
    // Each case ends with a yield: these loops run for seconds on the test process's few
    // cooperative threads, and without it they held back the real-time timers of the tests
    // beside them (a step's 100 ms timeout fired seconds late).

    @Test(arguments: seeds)
    func treeMutationsAlwaysGetAnAnswer(_ file: String) async throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let (root, _) = YAMLLoader().load(text: text, file: file)
        let original = try #require(root)
        var random = SeededRandom(seed: 0x5EED_0001)
        var planned = 0
        for _ in 0..<Self.casesPerSeed {
            var tree = Value(original)
            for _ in 0..<random.next(upTo: 3) + 1 { tree = Mutator.mutate(tree, using: &random) }
            let yaml = try Yams.serialize(node: Mutator.node(tree))
            if answer(yaml, as: file) { planned += 1 }
            await Task.yield()
        }
        // Some mutations are harmless (a description deleted): the corpus must not be all errors.
        #expect(planned > 0 && planned < Self.casesPerSeed)
    }

    @Test(arguments: seeds)
    func textMutationsAlwaysGetAnAnswer(_ file: String) async throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var random = SeededRandom(seed: 0x5EED_0002)
        for _ in 0..<Self.casesPerSeed {
            _ = answer(Mutator.mutate(text: text, using: &random), as: file)
            await Task.yield()
        }
    }

    /// Loads and plans; records an issue unless the result is a plan or a located error.
    /// Returns whether a plan came out.
    private func answer(_ yaml: String, as file: String) -> Bool {
        let compiled = RunbookCompiler(registry: Fixtures.registry).compile(text: yaml, path: file, options: PlanOptions(requireParams: false))
        let (plan, diagnostics) = (compiled.plan, compiled.diagnostics)
        if diagnostics.hasErrors {
            let unlocated = diagnostics.sorted.filter { $0.severity == .error && $0.location.line < 1 }
            #expect(unlocated.isEmpty, "errors without a position for:\n\(yaml)")
            return false
        }
        #expect(plan != nil, "neither a plan nor an error for:\n\(yaml)")
        if let plan { _ = PlanTextRenderer.render(plan) + PlanJSONRenderer.render(plan) }
        return plan != nil
    }
}

/// SplitMix64: small, fast and the same on every machine, so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}

enum Mutator {
    static let replacements: [Value] = [
        .null, .bool(true), .int(-1), .int(0), .double(1.5), .string(""), .string("${"), .string("${params.nope}"),
        .string("${steps.preflight.outputs.stdout}"), .string("${item}"), .string("${inventory.talos.nodes[9]}"),
        .string("10m"), .string("exec"), .list([]), .map([]), .list([.string("a"), .string("a")]),
        .map([("id", .string("preflight")), ("uses", .string("exec"))]),
    ]

    /// One random edit somewhere in the tree.
    static func mutate(_ value: Value, using random: inout SeededRandom) -> Value {
        let paths = allPaths(value)
        let target = paths[random.next(upTo: paths.count)]
        return edit(value, at: target[...]) { node in
            switch random.next(upTo: 5) {
            case 0: return nil // delete
            case 1: return replacements[random.next(upTo: replacements.count)]
            case 2: // duplicate an item or a pair inside it
                if case .list(let items) = node, !items.isEmpty { return .list(items + [items[random.next(upTo: items.count)]]) }
                if case .map(let pairs) = node, !pairs.isEmpty { return .map(pairs + [pairs[random.next(upTo: pairs.count)]]) }
                return node
            case 3: // rename a key
                if case .map(var pairs) = node, !pairs.isEmpty {
                    let index = random.next(upTo: pairs.count)
                    pairs[index].0 = String(pairs[index].0.dropLast()) + "x"
                    return .map(pairs)
                }
                return node
            default: // turn a scalar into a collection and back
                if node.isScalar { return .list([node]) }
                return .string(node.text)
            }
        }
    }

    private static func allPaths(_ value: Value, prefix: [Int] = []) -> [[Int]] {
        var paths = [prefix]
        switch value {
        case .list(let items): for (i, item) in items.enumerated() { paths += allPaths(item, prefix: prefix + [i]) }
        case .map(let pairs): for (i, pair) in pairs.enumerated() { paths += allPaths(pair.1, prefix: prefix + [i]) }
        default: break
        }
        return paths
    }

    private static func edit(_ value: Value, at path: ArraySlice<Int>, _ change: (Value) -> Value?) -> Value {
        guard let index = path.first else { return change(value) ?? .null }
        let rest = path.dropFirst()
        switch value {
        case .list(var items):
            if rest.isEmpty, change(items[index]) == nil {
                items.remove(at: index)
                return .list(items)
            }
            items[index] = edit(items[index], at: rest, change)
            return .list(items)
        case .map(var pairs):
            if rest.isEmpty, change(pairs[index].1) == nil {
                pairs.remove(at: index)
                return .map(pairs)
            }
            pairs[index].1 = edit(pairs[index].1, at: rest, change)
            return .map(pairs)
        default:
            return value
        }
    }

    static func node(_ value: Value) -> Node {
        switch value {
        case .null: return Node("null")
        case .bool(let b): return Node(b ? "true" : "false")
        case .int(let i): return Node(String(i))
        case .double(let d): return Node(String(d))
        case .string(let s): return Node(s, Tag(.str), .doubleQuoted)
        case .list(let items): return .sequence(.init(items.map(node)))
        case .map(let pairs): return .mapping(.init(pairs.map { (Node($0.0), node($0.1)) }))
        }
    }

    static let insertions = [":", "- ", "[", "{", "\"", "'", "&a ", "*a ", "\t", "${", "}", "#", "\n  ", "!!int ", "<<: *a\n"]

    /// One random edit of the text.
    static func mutate(text: String, using random: inout SeededRandom) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let line = random.next(upTo: lines.count)
        switch random.next(upTo: 5) {
        case 0: lines.remove(at: line)
        case 1: lines.insert(lines[line], at: line)
        case 2: lines[line] = "  " + lines[line]
        case 3:
            var scalars = Array(lines[line].unicodeScalars)
            let at = random.next(upTo: scalars.count + 1)
            scalars.insert(contentsOf: insertions[random.next(upTo: insertions.count)].unicodeScalars, at: at)
            lines[line] = String(String.UnicodeScalarView(scalars))
        default:
            return String(text.prefix(random.next(upTo: text.count)))
        }
        return lines.joined(separator: "\n")
    }
}
