import Testing

@testable import HomelabTransport

@Suite struct GRPCDeframerTests {
    /// Distinct contents and sizes, including an empty message and one longer than a DATA frame.
    static let messages: [[UInt8]] = [
        [], [7], Array("hello".utf8), (0..<300).map { UInt8($0 % 251) }, [], (0..<20_000).map { UInt8($0 % 253) },
    ]
    static let stream = messages.flatMap(GRPCFraming.frame)

    @Test func frameWritesFlagZeroAndBigEndianLength() {
        #expect(GRPCFraming.frame([]) == [0, 0, 0, 0, 0])
        #expect(GRPCFraming.frame(Array(repeating: 9, count: 0x0102_03)).prefix(5) == [0, 0, 0x01, 0x02, 0x03])
    }

    @Test func wholeStreamInOneChunkGivesEveryMessage() throws {
        var deframer = GRPCDeframer()
        #expect(try deframer.append(Self.stream) == Self.messages)
        try deframer.finish()
    }

    @Test func splitAtEveryByteBoundary() throws {
        let small = Array(Self.messages.prefix(4))
        let stream = small.flatMap(GRPCFraming.frame)
        for cut in 0...stream.count {
            var deframer = GRPCDeframer()
            let first = try deframer.append(Array(stream[..<cut]))
            let second = try deframer.append(Array(stream[cut...]))
            #expect(first + second == small, "cut at byte \(cut)")
            try deframer.finish()
        }
    }

    @Test func oneByteAtATime() throws {
        var deframer = GRPCDeframer()
        var received: [[UInt8]] = []
        for byte in Self.stream { received += try deframer.append([byte]) }
        #expect(received == Self.messages)
        try deframer.finish()
    }

    @Test func unevenChunksAcrossMessages() throws {
        for size in [2, 3, 5, 6, 7, 1000, 16_384] {
            var deframer = GRPCDeframer()
            var received: [[UInt8]] = []
            for chunk in GRPCScript.split(Self.stream, size: size) { received += try deframer.append(chunk) }
            #expect(received == Self.messages, "chunks of \(size)")
        }
    }

    @Test func emptyChunksChangeNothing() throws {
        var deframer = GRPCDeframer()
        #expect(try deframer.append([]).isEmpty)
        #expect(try deframer.append(GRPCFraming.frame([1, 2])) == [[1, 2]])
        #expect(try deframer.append([]).isEmpty)
    }

    @Test func messageAtTheLimitIsAccepted() throws {
        var deframer = GRPCDeframer(limit: 1000)
        let message = [UInt8](repeating: 5, count: 1000)
        #expect(try deframer.append(GRPCFraming.frame(message)) == [message])
    }

    @Test func oversizeIsRefusedFromThePrefixAlone() {
        var deframer = GRPCDeframer(limit: 1000)
        #expect(throws: GRPCFramingError.messageTooLarge(length: 1001, limit: 1000)) {
            _ = try deframer.append([0, 0, 0, 0x03, 0xE9])
        }
    }

    @Test func defaultLimitIs32MiB() {
        var deframer = GRPCDeframer()
        let over = 32 * 1024 * 1024 + 1
        #expect(throws: GRPCFramingError.messageTooLarge(length: over, limit: 32 * 1024 * 1024)) {
            _ = try deframer.append([0, 0x02, 0x00, 0x00, 0x01])
        }
    }

    @Test func compressedFlagIsRefused() {
        var deframer = GRPCDeframer()
        #expect(throws: GRPCFramingError.compressedMessage) {
            _ = try deframer.append([1, 0, 0, 0, 1, 42])
        }
    }

    @Test func unknownFlagIsRefused() {
        var deframer = GRPCDeframer()
        #expect(throws: GRPCFramingError.invalidFlag(0x80)) {
            _ = try deframer.append([0x80, 0, 0, 0, 0])
        }
    }

    @Test func endingInsideAMessageIsReported() throws {
        var deframer = GRPCDeframer()
        _ = try deframer.append([0, 0, 0, 0, 4, 1, 2])
        #expect(throws: GRPCFramingError.truncated(received: 2, expected: 4)) { try deframer.finish() }

        var inPrefix = GRPCDeframer()
        _ = try inPrefix.append([0, 0])
        #expect(throws: GRPCFramingError.truncated(received: 2, expected: 5)) { try inPrefix.finish() }
    }
}
