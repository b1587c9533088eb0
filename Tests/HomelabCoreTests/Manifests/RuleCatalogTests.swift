import Foundation
import HomelabCore
import Testing

/// The catalog: unique kebab-case names, one line each, and every rule documented.
@Suite struct RuleCatalogTests {
    @Test func namesAreUniqueAndKebabCase() {
        let names = RuleCatalog.names
        #expect(Set(names).count == names.count)
        for name in names { #expect(Naming.isKebabCase(name), "\(name)") }
        #expect(RuleCatalog.text().split(separator: "\n").count == names.count)
    }

    @Test func everyRuleIsInDocsValidate() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/validate.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for rule in RuleCatalog.rules {
            #expect(text.contains("| `\(rule.name)` |"), "docs/validate.md has no row for '\(rule.name)'")
        }
    }
}
