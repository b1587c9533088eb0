/// What the cloud tier knows about one uploaded `zfs send` stream: enough to pick it, order it in
/// its incremental chain and verify it, without downloading the stream itself. It is stored as a
/// small object of its own next to the encrypted stream, written only after the stream is
/// complete, so a manifest never names a half-uploaded object (docs/backup-format.md).
public struct BackupManifest: Sendable, Equatable {
    /// The dataset the stream was sent from, e.g. `tank/apps/immich`.
    public var dataset: String
    /// The snapshot's short name (after the `@`).
    public var snapshot: String
    /// The snapshot's ZFS guid, the same on every pool that holds it (B5): a restore checks it.
    public var guid: String
    /// For an incremental stream, the base snapshot's short name and guid; nil for a full one.
    public var baseSnapshot: String?
    public var baseGuid: String?
    /// The snapshot's creation time, seconds since the epoch (the RPO is measured from it).
    public var created: Int64
    /// The plain stream's length in bytes and its SHA-256 (lowercase hex).
    public var size: Int64
    public var sha256: String
    /// The key of the encrypted stream object in the bucket.
    public var object: String

    public init(
        dataset: String, snapshot: String, guid: String, baseSnapshot: String? = nil, baseGuid: String? = nil,
        created: Int64, size: Int64, sha256: String, object: String
    ) {
        self.dataset = dataset
        self.snapshot = snapshot
        self.guid = guid
        self.baseSnapshot = baseSnapshot
        self.baseGuid = baseGuid
        self.created = created
        self.size = size
        self.sha256 = sha256
        self.object = object
    }

    public var isIncremental: Bool { baseGuid != nil }
}
