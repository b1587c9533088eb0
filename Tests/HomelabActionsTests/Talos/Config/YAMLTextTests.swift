import HomelabActions
import HomelabCore
import Testing

@Suite("Talos YAML output")
struct YAMLTextTests {
    @Test func stringsThatLookLikeSomethingElseAreQuoted() {
        let value: Value = .map([
            ("auto", .string("off")), ("yes", .string("yes")), ("octal", .string("010")), ("flag", .string("true")), ("empty", .string("")),
            ("colon", .string("a: b")), ("comment", .string("a #b")), ("dash", .string("- x")), ("star", .string("*x")), ("line", .string("a\nb\"c")),
            ("plain", .string("https://192.168.10.20:6443")), ("b64", .string("-a_b=")), ("label", .string("")),
        ])
        let text = YAMLText.document(value)
        #expect(text.contains("auto: \"off\"\n\"yes\": \"yes\"\noctal: \"010\"\nflag: \"true\"\nempty: \"\"\ncolon: \"a: b\"\ncomment: \"a #b\"\n"))
        #expect(text.contains("dash: \"- x\"\nstar: \"*x\"\nline: \"a\\nb\\\"c\"\nplain: https://192.168.10.20:6443\nb64: -a_b=\n"))
    }

    @Test func whatIsWrittenReadsBackAsTheSameValue() throws {
        let value: Value = .map([
            (
                "strings",
                .list(["off", "010", "", "a: b", "x #y", "- x", "?", "~", "null", "1.5", "0x1F", "é", "tab\there", " lead", "trail "].map(Value.string))
            ),
            ("numbers", .list([.int(0), .int(-7), .double(1.5), .bool(false), .null])),
            ("nested", .list([.map([("a", .int(1)), ("b", .list([.string("c")]))]), .list([.string("d")]), .map([]), .list([])])),
            ("empty", .map([])),
        ])
        let text = YAMLText.documents([value, .map([("kind", .string("HostnameConfig"))])])
        let parts = text.split(separator: "---\n").map(String.init)
        #expect(parts.count == 2)
        let (root, diagnostics) = YAMLLoader().load(text: parts[0], file: "out.yaml")
        #expect(!diagnostics.hasErrors)
        #expect(Value(try #require(root)) == value)
    }
}
