import Foundation
import Testing
@testable import HomelabCore

/// docs/runbooks.md is the reference users read: it must match the registry and the loader.
@Suite struct ActionReferenceTests {
    static let docs = GoldenPlanTests.repository.appendingPathComponent("docs/runbooks.md").path

    @Test func embedsTheGeneratedActionReference() throws {
        let text = try String(contentsOfFile: Self.docs, encoding: .utf8)
        #expect(text.contains(ActionReferenceRenderer.block(.builtin)),
                "docs/runbooks.md is stale: replace its generated block with the output of 'homelab actions --markdown'")
    }

    @Test func documentsEveryKeyTheLoaderAccepts() throws {
        let text = try String(contentsOfFile: Self.docs, encoding: .utf8)
        let keys = RunbookKeys.topLevel + RunbookKeys.step + RunbookKeys.param + RunbookKeys.secret + RunbookKeys.retry + RunbookKeys.defaults
        for key in Set(keys) {
            #expect(text.contains("`\(key)`"), "docs/runbooks.md does not document the key '\(key)'")
        }
        for root in Scope.roots {
            #expect(text.contains("`\(root)"), "docs/runbooks.md does not document the expression root '\(root)'")
        }
    }
}
