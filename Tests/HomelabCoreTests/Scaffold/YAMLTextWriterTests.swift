import HomelabCore
import Testing

@Suite("Scaffold YAML writer")
struct YAMLTextWriterTests {
    private func roundTrip(_ text: String) -> YAMLNode? {
        let document = YAMLTextWriter.document(.map(["value": .string(text)]))
        let (node, diagnostics) = YAMLLoader().load(text: document, file: "t.yaml")
        #expect(diagnostics.isEmpty, "\(document)")
        return node?["value"]
    }

    @Test(arguments: [
        "yes", "No", "on", "OFF", "true", "null", "~", "", "300", "0755", "1:30", "1e3", "0x1F", ".inf", "-1", "2026-12-01",
        "Host(`a.b`)", "-c", "a: b", "a #b", "*star", "&anchor", "!tag", "{x}", "[x]", "'q'", "\"q\"", "%p", "@a", "`b`", "|", ">",
        " lead", "trail ", "colon:", "line\nbreak", "tab\there", "back\\slash", "10Gi", "busybox:1.37.0", "/metrics", "héllo",
    ])
    func everyStringReadsBackAsTheSameString(_ text: String) throws {
        let node = try #require(roundTrip(text))
        #expect(node.scalar?.text == text)
        // A string YAML would type otherwise is quoted, so it is not plain.
        if ["yes", "true", "null", "~", "", "300", "0755", "1:30", "1e3", "-1", "on"].contains(text) { #expect(node.scalar?.isPlain == false) }
    }

    @Test func plainWordsStayPlain() {
        let document = YAMLTextWriter.document(.map(["a": .string("10Gi"), "b": .string("busybox:1.37.0"), "c": .string("10m")]))
        #expect(document == "a: 10Gi\nb: busybox:1.37.0\nc: 10m\n")
    }

    @Test func nestedListsAndMapsUseKubernetesIndentation() {
        let document = YAMLTextWriter.document(
            .map([
                "spec": .map([
                    "ports": .list([.map(["name": .string("http"), "port": .int(80)])]),
                    "empty": .map([YAMLText.Entry]()),
                    "none": .list([]),
                    "nested": .list([.list([.string("a"), .string("b")])]),
                    "script": .list([.string("sh"), .block("until x; do\n  sleep 2\ndone\n")]),
                    "flag": .bool(true),
                ])
            ]))
        #expect(
            document == """
                spec:
                  ports:
                    - name: http
                      port: 80
                  empty: {}
                  none: []
                  nested:
                    - - a
                      - b
                  script:
                    - sh
                    - |
                      until x; do
                        sleep 2
                      done
                  flag: true

                """)
        let (node, diagnostics) = YAMLLoader().load(text: document, file: "t.yaml")
        #expect(diagnostics.isEmpty)
        #expect(node?.at("spec", "script", 1)?.string == "until x; do\n  sleep 2\ndone\n")
        #expect(node?.at("spec", "nested", 0, 1)?.string == "b")
        #expect(node?.at("spec", "empty")?.mapping?.isEmpty == true)
    }
}
