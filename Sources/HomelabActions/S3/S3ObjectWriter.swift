/// Writes one object from bytes that arrive over time, holding at most two parts in memory: a
/// single PUT when everything fits in one part, else a multipart upload in `partSize` parts,
/// one uploading while the next fills. A failed or abandoned upload is aborted, so the bucket
/// keeps no orphaned parts (which S3 stores, and bills, until aborted).
/// One task uses a writer: `write` as bytes come, then `finish` or `abort`.
public final class S3ObjectWriter {
    public static let defaultPartSize = 8 << 20

    let client: any S3Client
    public let key: String
    let partSize: Int
    private var buffer: [UInt8] = []
    private var uploadID: String?
    private var parts: [S3UploadedPart] = []
    private var inFlight: Task<S3UploadedPart, Error>?
    public private(set) var bytesWritten: Int64 = 0

    public init(client: any S3Client, key: String, partSize: Int = S3ObjectWriter.defaultPartSize) {
        self.client = client
        self.key = key
        // S3 refuses parts under 5 MiB but the last; smaller sizes are for tests of the logic.
        self.partSize = max(partSize, 1)
        buffer.reserveCapacity(self.partSize)
    }

    public func write(_ bytes: [UInt8]) async throws {
        buffer += bytes
        bytesWritten += Int64(bytes.count)
        // Strictly more than a part: the last part is shipped by `finish`, never an empty one.
        while buffer.count > partSize {
            let part = Array(buffer[..<partSize])
            buffer.removeFirst(partSize)
            try await ship(part)
        }
    }

    /// Uploads what is left and completes the object. The writer is spent afterwards.
    public func finish() async throws {
        guard uploadID != nil else {
            try await client.putObject(key, bytes: buffer)
            buffer = []
            return
        }
        let last = buffer
        buffer = []
        try await ship(last)
        if let inFlight { parts.append(try await inFlight.value) }
        inFlight = nil
        try await client.completeMultipartUpload(key, uploadID: uploadID!, parts: parts)
        uploadID = nil
    }

    /// Stops a multipart upload and drops its parts (best effort: the error that led here is the
    /// one worth reporting). Nothing to do for an object not yet started.
    public func abort() async {
        inFlight?.cancel()
        _ = try? await inFlight?.value
        inFlight = nil
        if let uploadID { try? await client.abortMultipartUpload(key, uploadID: uploadID) }
        uploadID = nil
        buffer = []
    }

    /// How many parts were uploaded (0 for a single PUT): tests check that multipart happened.
    public var partCount: Int { parts.count }

    private func ship(_ part: [UInt8]) async throws {
        if uploadID == nil { uploadID = try await client.createMultipartUpload(key) }
        // Wait for the part before: at most one uploads while the next fills.
        if let inFlight { parts.append(try await inFlight.value) }
        let (client, key, uploadID, number) = (client, key, uploadID!, parts.count + 1)
        inFlight = Task { S3UploadedPart(number: number, etag: try await client.uploadPart(key, uploadID: uploadID, number: number, bytes: part)) }
    }
}
