import Foundation
import Testing

@testable import HomelabCore

/// docs/runbooks.md is the reference users read: it must match the registry and the loader.
@Suite struct ActionReferenceTests {
    static let docs = GoldenPlanTests.repository.appendingPathComponent("docs/runbooks.md").path

    // The generated action block is checked in HomelabActionsTests, which knows every action.

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
