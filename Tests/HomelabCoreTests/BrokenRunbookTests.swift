import Foundation
import Testing

@testable import HomelabCore

/// The corpus of broken runbooks: each `broken/NAME.yaml` has a `broken/NAME.expected` listing
/// the exact diagnostics it must produce, one `LINE:COL: SEVERITY: MESSAGE` per line.
/// Set UPDATE_GOLDEN=1 to rewrite the .expected files, then review the diff.
@Suite struct BrokenRunbookTests {
    static let files = Fixtures.files(in: "broken")

    @Test func corpusIsLarge() {
        #expect(Self.files.count >= 30, "the broken-runbook corpus needs at least 30 distinct mistakes")
    }

    @Test(arguments: files)
    func producesExactlyTheExpectedDiagnostics(_ file: String) throws {
        let expectedFile = String(file.dropLast(".yaml".count)) + ".expected"
        let diagnostics = check(file)
        let actual = rendered(diagnostics)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try (actual.joined(separator: "\n") + "\n").write(toFile: expectedFile, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: expectedFile, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(!expected.isEmpty, "\(expectedFile) lists no diagnostics")
        #expect(diagnostics.hasErrors, "\(file) must be rejected")
        #expect(actual == expected)
        for diagnostic in diagnostics.sorted {
            #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "every diagnostic has a real position")
        }
    }
}
