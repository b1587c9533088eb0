import Testing

@testable import HomelabTransport

@Suite struct GRPCMetadataTests {
    @Test func textAndBinaryBecomeHeaders() throws {
        var metadata = GRPCMetadata()
        try metadata.add("runtime", "Talos")
        try metadata.add("trace.id_2-x", "abc 123")
        try metadata.add("blob-bin", binary: [0xFF, 0x00, 0x10, 0x20])
        let fields = metadata.headerFields
        #expect(fields.map(\.0) == ["runtime", "trace.id_2-x", "blob-bin"])
        #expect(fields.map(\.1) == ["Talos", "abc 123", "/wAQIA"]) // unpadded base64
    }

    @Test(arguments: ["Runtime", "x y", "x:y", "", "ünicode", "grpc-timeout", "grpc-anything", "content-type", "te", "host"])
    func badKeysAreRefusedWithTheReason(key: String) {
        var metadata = GRPCMetadata()
        #expect(throws: GRPCMetadataError.self) { try metadata.add(key, "value") }
        #expect(metadata.entries.isEmpty)
    }

    @Test func upperCaseKeySuggestsTheLowerCaseOne() {
        var metadata = GRPCMetadata()
        #expect { try metadata.add("X-Token", "v") } throws: { error in
            (error as? GRPCMetadataError)?.description.contains("\"x-token\"") == true
        }
    }

    @Test func binKeysTakeBytesAndOthersTakeText() {
        var metadata = GRPCMetadata()
        #expect(throws: GRPCMetadataError.self) { try metadata.add("blob-bin", "text") }
        #expect(throws: GRPCMetadataError.self) { try metadata.add("blob", binary: [1]) }
    }

    @Test func nonPrintableTextIsRefusedWithoutShowingTheValue() {
        var metadata = GRPCMetadata()
        let secret = "s3cr\u{e9}t-token"
        #expect { try metadata.add("authorization", secret) } throws: { error in
            let text = "\(error)"
            return text.contains("authorization") && text.contains("-bin") && !text.contains("s3cr")
        }
        #expect(throws: GRPCMetadataError.self) { try metadata.add("note", "line\nbreak") }
    }

    @Test func callMetadataFollowsClientMetadata() throws {
        var client = GRPCMetadata()
        try client.add("runtime", "Talos")
        var call = GRPCMetadata()
        try call.add("nodes", "10.0.0.11")
        #expect(client.merged(with: call).headerFields.map(\.0) == ["runtime", "nodes"])
    }
}
