import Testing

@testable import HomelabTransport

@Suite struct GRPCMessageTextTests {
    @Test func decodesPercentEscapedUTF8() {
        #expect(GRPCMessageText.decode("n%C3%B6 100%25 sure") == "nö 100% sure")
        #expect(GRPCMessageText.decode("%e2%82%ac and %E2%82%AC") == "€ and €")
    }

    @Test func plainTextIsUnchanged() {
        #expect(GRPCMessageText.decode("etcd is not ready: retry later") == "etcd is not ready: retry later")
    }

    @Test func malformedEscapesStayAsWritten() {
        #expect(GRPCMessageText.decode("100%") == "100%")
        #expect(GRPCMessageText.decode("50%z1 off") == "50%z1 off")
        #expect(GRPCMessageText.decode("%4") == "%4")
        #expect(GRPCMessageText.decode("%%41") == "%A")
    }

    @Test func invalidUTF8BecomesReplacementCharacters() {
        #expect(GRPCMessageText.decode("bad %C3 byte") == "bad \u{FFFD} byte")
    }

    @Test func encodeThenDecodeRoundTrips() {
        for text in ["", "plain", "nö 100% sure ✓", "tab\tand\nnewline", "%41"] {
            let encoded = GRPCMessageText.encode(text)
            #expect(encoded.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E })
            #expect(GRPCMessageText.decode(encoded) == text)
        }
    }
}
