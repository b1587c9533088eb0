import HomelabCore
import Testing

/// Multi-document streams: every document, each with where it starts.
@Suite struct YAMLDocumentsTests {
    @Test func everyDocumentWithItsStart() {
        let text = "---\nkind: A\n---\nkind: B\n--- # note\nkind: C\n"
        let (documents, diagnostics) = YAMLLoader().loadDocuments(text: text, file: "f.yaml")
        #expect(diagnostics.isEmpty)
        #expect(documents.map { $0.root["kind"]?.string } == ["A", "B", "C"])
        #expect(documents.map(\.start.line) == [1, 3, 5])
        #expect(documents.map(\.start.column) == [1, 1, 1])
    }

    @Test func aSingleDocumentWithoutMarkerStartsAtItsFirstKey() {
        let (documents, _) = YAMLLoader().loadDocuments(text: "# comment\nkind: A\n", file: "f.yaml")
        #expect(documents.count == 1)
        #expect(documents[0].start == SourceLocation(file: "f.yaml", line: 2, column: 1))
    }

    @Test func syntaxErrorsAreDiagnostics() {
        let (documents, diagnostics) = YAMLLoader().loadDocuments(text: "kind: A\n\tbad: x\n", file: "f.yaml")
        #expect(documents.isEmpty)
        #expect(diagnostics.hasErrors)
    }

    @Test func anEmptyTextHasNoDocument() {
        let (documents, diagnostics) = YAMLLoader().loadDocuments(text: "", file: "f.yaml")
        #expect(documents.isEmpty && diagnostics.isEmpty)
    }
}
