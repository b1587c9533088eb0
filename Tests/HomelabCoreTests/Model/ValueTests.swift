import Testing

@testable import HomelabCore

@Suite struct ValueTests {
    @Test(arguments: [
        ("", Value.null), ("~", .null), ("true", .bool(true)), ("False", .bool(false)),
        ("no", .string("no")), ("yes", .string("yes")), ("42", .int(42)), ("-7", .int(-7)),
        ("0x1F", .int(31)), ("1.5", .double(1.5)), ("1e3", .double(1000)), ("v1.11", .string("v1.11")),
        ("192.168.1.1", .string("192.168.1.1")), ("10m", .string("10m")),
    ])
    func plainScalarsFollowTheYAML12CoreSchema(_ text: String, _ expected: Value) {
        #expect(Value.resolvePlain(text) == expected)
    }

    @Test func truthiness() {
        #expect(!Value.string("false").isTruthy)
        #expect(!Value.string("").isTruthy)
        #expect(Value.string("no").isTruthy, "only 'false' and '' are false among strings")
        #expect(!Value.int(0).isTruthy)
        #expect(!Value.list([]).isTruthy)
        #expect(Value.map([("a", .null)]).isTruthy)
    }

    @Test func jsonKeepsKeyOrderAndEscapes() {
        let value = Value.map([("z", .int(1)), ("a", .string("line\n\"q\"\u{1}"))])
        #expect(JSONWriter.compact(value) == #"{"z":1,"a":"line\n\"q\"\u0001"}"#)
    }
}
