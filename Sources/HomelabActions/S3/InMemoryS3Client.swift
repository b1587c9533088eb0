import Foundation
import Synchronization

/// A bucket in memory: the S3 double for tests of what is built on S3 (the backup store) and
/// for other integrations' tests that need a `BackupStore` without a server
/// (`LiveBackupStore(client: InMemoryS3Client(), ...)`). It keeps S3's rules that matter to
/// callers: parts numbered from 1, completion by part list, pages of `pageSize` keys in order.
public final class InMemoryS3Client: S3Client {
    private struct Upload {
        var key: String
        var parts: [Int: [UInt8]] = [:]
    }
    private struct State {
        var objects: [String: [UInt8]] = [:]
        var modified: [String: Date] = [:]
        var uploads: [String: Upload] = [:]
        var nextUpload = 1
        var calls: [String] = []
    }
    private let state = Mutex(State())
    let pageSize: Int
    let bucket = "memory"

    public init(pageSize: Int = 1000) { self.pageSize = max(pageSize, 1) }

    // MARK: test hooks

    public func object(_ key: String) -> [UInt8]? { state.withLock { $0.objects[key] } }
    public func setObject(_ key: String, _ bytes: [UInt8]) { state.withLock { $0.objects[key] = bytes } }
    /// When the object was last written, as a listing reports it (by default, when it was).
    public func setModified(_ key: String, _ date: Date) { state.withLock { $0.modified[key] = date } }
    public var keys: [String] { state.withLock { $0.objects.keys.sorted() } }
    /// Multipart uploads started and neither completed nor aborted.
    public var openUploads: Int { state.withLock { $0.uploads.count } }
    /// `PUT key`, `UploadPart key 2`...: what was asked, in order.
    public var calls: [String] { state.withLock { $0.calls } }

    // MARK: S3Client

    public func putObject(_ key: String, bytes: [UInt8]) async throws {
        state.withLock {
            $0.calls.append("PUT \(key)")
            $0.objects[key] = bytes
            $0.modified[key] = Date()
        }
    }

    public func createMultipartUpload(_ key: String) async throws -> String {
        state.withLock {
            $0.calls.append("CreateMultipartUpload \(key)")
            let id = "upload-\($0.nextUpload)"
            $0.nextUpload += 1
            $0.uploads[id] = Upload(key: key)
            return id
        }
    }

    public func uploadPart(_ key: String, uploadID: String, number: Int, bytes: [UInt8]) async throws -> String {
        try state.withLock {
            $0.calls.append("UploadPart \(key) \(number)")
            guard $0.uploads[uploadID]?.key == key else { throw missing("PUT", key, code: "NoSuchUpload") }
            $0.uploads[uploadID]!.parts[number] = bytes
            return "\"part-\(number)-\(bytes.count)\""
        }
    }

    public func completeMultipartUpload(_ key: String, uploadID: String, parts: [S3UploadedPart]) async throws {
        try state.withLock {
            $0.calls.append("CompleteMultipartUpload \(key) \(parts.count)")
            guard let upload = $0.uploads.removeValue(forKey: uploadID), upload.key == key else {
                throw missing("POST", key, code: "NoSuchUpload")
            }
            var bytes: [UInt8] = []
            for (index, part) in parts.enumerated() {
                guard part.number == index + 1, let data = upload.parts[part.number], part.etag == "\"part-\(part.number)-\(data.count)\"" else {
                    throw S3Error(
                        .fatal, call: "POST \(bucket)/\(key)", status: 400, code: "InvalidPart", message: "part \(part.number) is not the one uploaded")
                }
                bytes += data
            }
            $0.objects[key] = bytes
            $0.modified[key] = Date()
        }
    }

    public func abortMultipartUpload(_ key: String, uploadID: String) async throws {
        state.withLock {
            $0.calls.append("AbortMultipartUpload \(key)")
            $0.uploads[uploadID] = nil
        }
    }

    @discardableResult
    public func getObject(
        _ key: String, range: ClosedRange<Int64>?, consume: (S3ObjectHead, [UInt8]) async throws -> Void
    ) async throws -> S3ObjectHead {
        guard let bytes = state.withLock({ $0.objects[key] }) else { throw missing("GET", key, code: "NoSuchKey") }
        var slice = bytes[...]
        if let range {
            let upper = min(Int(range.upperBound), bytes.count - 1)
            slice = Int(range.lowerBound) <= upper ? bytes[Int(range.lowerBound)...upper] : []
        }
        let head = S3ObjectHead(contentLength: Int64(slice.count), etag: nil)
        // Pieces of odd sizes, as a network delivers them.
        var offset = slice.startIndex
        while offset < slice.endIndex {
            let end = min(offset + 65_521, slice.endIndex)
            try await consume(head, Array(slice[offset..<end]))
            offset = end
        }
        return head
    }

    public func headObject(_ key: String) async throws -> S3ObjectHead {
        guard let bytes = state.withLock({ $0.objects[key] }) else { throw missing("HEAD", key, code: nil) }
        return S3ObjectHead(contentLength: Int64(bytes.count), etag: nil)
    }

    public func listObjects(prefix: String, continuationToken: String?, maxKeys: Int?) async throws -> S3ObjectPage {
        let all = state.withLock { state in
            state.objects.filter { $0.key.hasPrefix(prefix) }.map {
                S3ObjectSummary(key: $0.key, size: Int64($0.value.count), lastModified: state.modified[$0.key])
            }
        }.sorted { $0.key < $1.key }
        let after = all.filter { continuationToken == nil || $0.key > continuationToken! }
        let page = Array(after.prefix(min(maxKeys ?? pageSize, pageSize)))
        return S3ObjectPage(objects: page, nextToken: after.count > page.count ? page.last?.key : nil)
    }

    public func deleteObject(_ key: String) async throws {
        state.withLock {
            $0.calls.append("DELETE \(key)")
            $0.objects[key] = nil
            $0.modified[key] = nil
        }
    }

    private func missing(_ method: String, _ key: String, code: String?) -> S3Error {
        S3Error(.notFound, call: "\(method) \(bucket)/\(key)", status: 404, code: code, message: "The specified key does not exist.")
    }
}
