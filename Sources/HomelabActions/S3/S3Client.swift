import Foundation

/// The S3 calls the cloud tier needs, on one bucket. The live one speaks S3 over libcurl with
/// SigV4 (`LiveS3Client`); `InMemoryS3Client` keeps objects in memory for tests. Failures are
/// `S3Error`s.
public protocol S3Client: Sendable {
    func putObject(_ key: String, bytes: [UInt8]) async throws
    /// Starts a multipart upload and returns its upload id.
    func createMultipartUpload(_ key: String) async throws -> String
    /// Uploads part `number` (1...10000; every part but the last at least 5 MiB) and returns its ETag.
    func uploadPart(_ key: String, uploadID: String, number: Int, bytes: [UInt8]) async throws -> String
    func completeMultipartUpload(_ key: String, uploadID: String, parts: [S3UploadedPart]) async throws
    func abortMultipartUpload(_ key: String, uploadID: String) async throws
    /// Streams the object (or the bytes `range` names, both ends included) to `consume` in
    /// order, awaiting each piece; the object's head comes with each piece.
    @discardableResult
    func getObject(
        _ key: String, range: ClosedRange<Int64>?, consume: (S3ObjectHead, [UInt8]) async throws -> Void
    ) async throws -> S3ObjectHead
    func headObject(_ key: String) async throws -> S3ObjectHead
    /// One page of keys under `prefix`, in key order; pass the page's `nextToken` for the next.
    func listObjects(prefix: String, continuationToken: String?, maxKeys: Int?) async throws -> S3ObjectPage
    func deleteObject(_ key: String) async throws
}

extension S3Client {
    /// The whole object (or range) in memory: for small objects such as manifests.
    public func getObject(_ key: String, range: ClosedRange<Int64>? = nil) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        try await getObject(key, range: range) { _, chunk in bytes.append(contentsOf: chunk) }
        return bytes
    }

    /// Every key under `prefix`, following continuation tokens.
    public func listAllObjects(prefix: String) async throws -> [S3ObjectSummary] {
        var objects: [S3ObjectSummary] = []
        var token: String?
        repeat {
            let page = try await listObjects(prefix: prefix, continuationToken: token, maxKeys: nil)
            objects += page.objects
            token = page.nextToken
        } while token != nil
        return objects
    }
}

/// A part uploaded in a multipart upload: Complete names each by number and ETag.
public struct S3UploadedPart: Sendable, Equatable {
    public var number: Int
    public var etag: String
    public init(number: Int, etag: String) {
        self.number = number
        self.etag = etag
    }
}

/// What HEAD (or a GET's head) says about an object.
public struct S3ObjectHead: Sendable, Equatable {
    /// The length of what the answer carries (the range's length for a ranged GET).
    public var contentLength: Int64?
    public var etag: String?
    public init(contentLength: Int64?, etag: String?) {
        self.contentLength = contentLength
        self.etag = etag
    }
}

public struct S3ObjectSummary: Sendable, Equatable {
    public var key: String
    public var size: Int64
    public var etag: String?
    /// When the object was last written, by the server's clock; nil when the listing omits it.
    public var lastModified: Date?
    public init(key: String, size: Int64, etag: String? = nil, lastModified: Date? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}

public struct S3ObjectPage: Sendable, Equatable {
    public var objects: [S3ObjectSummary]
    /// nil on the last page.
    public var nextToken: String?
    public init(objects: [S3ObjectSummary], nextToken: String?) {
        self.objects = objects
        self.nextToken = nextToken
    }
}
