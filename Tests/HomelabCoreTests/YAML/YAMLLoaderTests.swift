import Testing

@testable import HomelabCore

@Suite struct YAMLLoaderTests {
    func load(_ text: String, limits: LoaderLimits = .default) -> (YAMLNode?, [String]) {
        let (node, diagnostics) = YAMLLoader(limits: limits).load(text: text, file: "t.yaml")
        return (node, diagnostics.sorted.map(\.rendered))
    }

    @Test func locatesEveryNode() throws {
        let (node, diagnostics) = load("a: 1\nb:\n  - x\n  - 'y'\n")
        #expect(diagnostics.isEmpty)
        let root = try #require(node)
        #expect(root["a"]?.location == SourceLocation(file: "t.yaml", line: 1, column: 4))
        let items = try #require(root["b"]?.sequence)
        #expect(items[1].location.line == 4 && items[1].location.column == 5)
        #expect(items[1].textLocation.column == 6, "quoted text starts after the quote")
        #expect(items[1].scalar?.isPlain == false)
    }

    @Test func reportsSyntaxErrorsWithLineAndColumn() {
        let (node, diagnostics) = load("a: [1, 2\nb: 3\n")
        #expect(node == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].hasPrefix("t.yaml:2:"))
        #expect(diagnostics[0].contains("YAML syntax"))
    }

    @Test func refusesAnAliasBomb() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let (node, diagnostics) = load(text)
        #expect(node == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].contains("alias bomb"))
    }

    @Test func refusesAnAliasUsedAsAKeyBeforeYamsHashesIt() {
        let text = "a: &a [x, y]\nb:\n  *a : 1\n"
        let (node, diagnostics) = load(text)
        #expect(node == nil)
        #expect(diagnostics.first?.contains("complex mapping keys") == true)
        #expect(diagnostics.first?.hasPrefix("t.yaml:3:3:") == true)
    }

    @Test func acceptsModestAliasesAndMergeKeys() throws {
        let (node, diagnostics) = load("base: &base { retry: 3, timeout: 1m }\nstep:\n  <<: *base\n  timeout: 5m\n")
        #expect(diagnostics.isEmpty)
        let step = try #require(node?["step"])
        #expect(step["timeout"]?.string == "5m", "explicit keys win over merged ones")
        #expect(step["retry"]?.string == "3")
    }

    @Test func refusesDeepNesting() {
        let text = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let (node, diagnostics) = load(text)
        #expect(node == nil)
        #expect(diagnostics.first?.contains("nests too deeply (more than 64 levels)") == true)
    }

    @Test func libyamlRefusesNestingPastItsOwnLimitWithoutCrashing() {
        let text = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let (node, diagnostics) = load(text)
        #expect(node == nil)
        #expect(!diagnostics.isEmpty)
    }

    @Test func refusesOversizedText() {
        let (node, diagnostics) = load(String(repeating: "# padding\n", count: 200), limits: LoaderLimits(maxBytes: 1_000))
        #expect(node == nil)
        #expect(diagnostics.first?.contains("larger than") == true)
    }

    @Test func reportsDuplicateKeys() {
        let (_, diagnostics) = load("a: 1\nb: 2\na: 3\n")
        #expect(diagnostics == ["t.yaml:1:1: note: 'a' first appears here", "t.yaml:3:1: error: duplicate key 'a' in the same mapping (first at line 1)"])
    }

    @Test func reportsAnEmptyFile() {
        let (node, diagnostics) = load("# nothing here\n")
        #expect(node == nil)
        #expect(diagnostics == ["t.yaml:1:1: error: file is empty"])
    }

    @Test func reportsAMissingFile() {
        let (node, diagnostics) = YAMLLoader().load(path: "/nonexistent/runbook.yaml")
        #expect(node == nil)
        #expect(diagnostics.sorted.map(\.message) == ["cannot read file: no such file"])
    }
}
