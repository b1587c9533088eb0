import Crypto
import Testing

@testable import HomelabActions

/// The S3 client against a real S3 server (moto, SigV4 checked).
@Suite(.serialized) struct LiveS3ClientTests {
    @Test func aMultipartObjectComesBackWholeAndInRanges() async throws {
        let client = try await MotoS3.client()
        let key = MotoS3.prefix("multipart") + "object.bin"
        let bytes = MotoS3.bytes(11 << 20 + 1234)
        // S3's smallest part is 5 MiB: three parts, the last a short one.
        let writer = S3ObjectWriter(client: client, key: key, partSize: 5 << 20)
        for start in stride(from: 0, to: bytes.count, by: 300_000) { try await writer.write(Array(bytes[start..<min(start + 300_000, bytes.count)])) }
        try await writer.finish()
        #expect(writer.partCount == 3)

        #expect(try await client.headObject(key).contentLength == Int64(bytes.count))
        let whole: [UInt8] = try await client.getObject(key)
        #expect(whole.count == bytes.count)
        #expect(SHA256.hash(data: whole) == SHA256.hash(data: bytes))
        let across = (5 << 20 - 100)...(5 << 20 + 99)
        let range: [UInt8] = try await client.getObject(key, range: Int64(across.lowerBound)...Int64(across.upperBound))
        #expect(range == Array(bytes[across]))
    }

    @Test func listingFollowsContinuationTokens() async throws {
        let client = try await MotoS3.client()
        let prefix = MotoS3.prefix("listing")
        // Names that need encoding in the signed path and query.
        let keys = (0..<7).map { "\(prefix)dataset a+b/snap-\($0).manifest" }
        for key in keys { try await client.putObject(key, bytes: Array(key.utf8)) }

        let first = try await client.listObjects(prefix: prefix, continuationToken: nil, maxKeys: 3)
        #expect(first.objects.map(\.key) == Array(keys[0..<3]))
        #expect(first.nextToken != nil)
        let second = try await client.listObjects(prefix: prefix, continuationToken: first.nextToken, maxKeys: 3)
        #expect(second.objects.map(\.key) == Array(keys[3..<6]))
        #expect(try await client.listAllObjects(prefix: prefix).map(\.key) == keys)
        #expect(try await client.listAllObjects(prefix: prefix).first?.size == Int64(keys[0].utf8.count))
        let text: [UInt8] = try await client.getObject(keys[4])
        #expect(text == Array(keys[4].utf8))
    }

    @Test func aMissingOrDeletedObjectIsNotFound() async throws {
        let client = try await MotoS3.client()
        let key = MotoS3.prefix("missing") + "gone"
        try await client.putObject(key, bytes: [1, 2, 3])
        try await client.deleteObject(key)
        let get = await #expect(throws: S3Error.self) { let _: [UInt8] = try await client.getObject(key) }
        #expect(get?.kind == .notFound)
        #expect(get?.code == "NoSuchKey")
        #expect(get?.requestID?.isEmpty == false)
        let head = await #expect(throws: S3Error.self) { try await client.headObject(key) }
        #expect(head?.kind == .notFound)
    }

    @Test func anAbortedUploadLeavesNoObject() async throws {
        let client = try await MotoS3.client()
        let key = MotoS3.prefix("abort") + "partial"
        let writer = S3ObjectWriter(client: client, key: key, partSize: 5 << 20)
        try await writer.write(MotoS3.bytes(6 << 20))
        await writer.abort()
        #expect(try await client.listAllObjects(prefix: key).isEmpty)
    }

    @Test func aWrongSecretIsRefusedWithAClearError() async throws {
        let lab = try await MotoS3.shared.lab()
        let client = try await MotoS3.client(secretKey: "not-the-secret-key-at-all")
        let error = await #expect(throws: S3Error.self) { try await client.putObject(MotoS3.prefix("wrong") + "k", bytes: [1]) }
        #expect(error?.kind == .unauthorized)
        #expect(error?.code == "SignatureDoesNotMatch")
        #expect(error?.status == 403)
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("PUT homelab-backups/wrong-"))
        #expect(text.contains(lab.accessKey))
        #expect(!text.contains("not-the-secret-key-at-all"))
        #expect(!text.contains(lab.secretKey))
        let list = await #expect(throws: S3Error.self) { _ = try await client.listAllObjects(prefix: "") }
        #expect(list?.kind == .unauthorized)
    }
}
