import Testing

@testable import HomelabCore

/// Strings are read two ways (straight from the bytes when they hold no escape, through a buffer
/// when they do); both must give the same text, and bad strings are refused either way.
@Suite struct JSONParserTests {
    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""""#, ""),
        (#""héllo wörld ✓""#, "héllo wörld ✓"),
        (#""a\nb""#, "a\nb"),
        (#""prefix then \"quoted\" and \\ back""#, "prefix then \"quoted\" and \\ back"),
        (#""\u00e9t\u00E9""#, "été"),
        (#""\ud83d\ude00 smile""#, "😀 smile"),
        (#""tab\there\/slash""#, "tab\there/slash"),
    ])
    func stringsWithAndWithoutEscapes(_ json: String, _ text: String) throws {
        #expect(try JSONParser.parse(json) == .string(text))
        #expect(try JSONParser.parse(bytes: Array("[\(json), \(json)]".utf8)) == .list([.string(text), .string(text)]))
    }

    @Test(arguments: ["\"no end", "\"ends in an escape \\", "\"a\u{01}control\"", "\"after an escape \\n\u{01}\""])
    func badStringsAreRefused(_ json: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(json) }
    }

    @Test func keysAndValuesOfAnObject() throws {
        let value = try JSONParser.parse(#"{"seq":1,"event":"stepStarted","step":"c01-000"}"#)
        #expect(value["seq"] == .int(1))
        #expect(value["step"] == .string("c01-000"))
    }
}
