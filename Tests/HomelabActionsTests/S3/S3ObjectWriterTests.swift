import Testing

@testable import HomelabActions

struct S3ObjectWriterTests {
    @Test func aSmallObjectIsOnePut() async throws {
        let s3 = InMemoryS3Client()
        let writer = S3ObjectWriter(client: s3, key: "k", partSize: 10)
        try await writer.write([1, 2, 3])
        try await writer.write([4, 5, 6, 7, 8, 9, 10])
        try await writer.finish()
        #expect(s3.object("k") == Array(1...10))
        #expect(s3.calls == ["PUT k"])
    }

    @Test func aLargeObjectGoesInPartsOfTheGivenSize() async throws {
        let s3 = InMemoryS3Client()
        let writer = S3ObjectWriter(client: s3, key: "k", partSize: 4)
        let bytes = (0..<23).map { UInt8($0) }
        for piece in stride(from: 0, to: bytes.count, by: 5) { try await writer.write(Array(bytes[piece..<min(piece + 5, bytes.count)])) }
        try await writer.finish()
        #expect(s3.object("k") == bytes)
        #expect(writer.partCount == 6)
        #expect(s3.calls.first == "CreateMultipartUpload k")
        #expect(s3.calls.last == "CompleteMultipartUpload k 6")
        #expect(s3.openUploads == 0)
    }

    @Test func aFailureAbortsTheUploadAndLeavesNoObject() async throws {
        let s3 = InMemoryS3Client()
        let writer = S3ObjectWriter(client: s3, key: "k", partSize: 4)
        try await writer.write(Array(repeating: 7, count: 13))
        await writer.abort()
        #expect(s3.object("k") == nil)
        #expect(s3.openUploads == 0)
        #expect(s3.calls.last == "AbortMultipartUpload k")
    }
}
