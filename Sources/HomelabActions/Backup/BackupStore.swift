import Foundation

/// The cloud tier: encrypted `zfs send` streams and their manifests in an S3 bucket. The live one
/// speaks S3 through libcurl and encrypts client-side (docs/backup-format.md); tests use it
/// against a real S3 server on loopback.
public protocol BackupStore: Sendable {
    /// Encrypts and uploads one send stream as it arrives (never staged whole), then writes its
    /// manifest. `snapshot` says what the stream is; size and checksum are measured on the way.
    func upload(
        _ stream: AsyncThrowingStream<[UInt8], any Error>, of snapshot: BackupSnapshot,
        progress: @escaping @Sendable (Int64) -> Void
    ) async throws -> BackupManifest

    /// Every manifest stored for `dataset`, oldest snapshot first.
    func manifests(dataset: String) async throws -> [BackupManifest]

    /// Downloads, verifies and decrypts the stream of `manifest`, handing plain bytes to `sink` in
    /// order. A chunk is passed on only once it is authenticated; a tampered, truncated or
    /// wrongly keyed object throws before any of its unverified bytes are passed on, and the
    /// whole stream's size and checksum are checked at the end.
    func download(
        _ manifest: BackupManifest, to sink: @escaping @Sendable ([UInt8]) async throws -> Void,
        progress: @escaping @Sendable (Int64) -> Void
    ) async throws

    /// Deletes one snapshot from the tier: its manifest first, then its stream object, so no
    /// manifest ever names a missing object (an interrupted delete leaves at worst a stream that
    /// no manifest names, which nothing reads). What is already gone is not an error.
    func delete(_ manifest: BackupManifest) async throws

    /// The stream objects of `dataset` that no manifest names: what an upload or a delete
    /// interrupted between its two objects left. Nothing reads them; retention removes them.
    func strays(dataset: String) async throws -> [BackupStray]

    /// Deletes a stray stream object.
    func delete(stray: BackupStray) async throws
}

/// A stream object with no manifest beside it.
public struct BackupStray: Sendable, Equatable {
    /// The object's key in the bucket.
    public var object: String
    /// The snapshot its name says it holds.
    public var snapshot: String
    public var size: Int64
    /// When it was written, by the bucket's clock; nil when the bucket does not say.
    public var modified: Date?

    public init(object: String, snapshot: String, size: Int64, modified: Date?) {
        self.object = object
        self.snapshot = snapshot
        self.size = size
        self.modified = modified
    }
}

/// A snapshot about to be uploaded: what its manifest will say besides size and checksum.
public struct BackupSnapshot: Sendable, Equatable {
    public var dataset: String
    public var snapshot: String
    public var guid: String
    public var baseSnapshot: String?
    public var baseGuid: String?
    public var created: Int64

    public init(dataset: String, snapshot: String, guid: String, baseSnapshot: String? = nil, baseGuid: String? = nil, created: Int64) {
        self.dataset = dataset
        self.snapshot = snapshot
        self.guid = guid
        self.baseSnapshot = baseSnapshot
        self.baseGuid = baseGuid
        self.created = created
    }
}
