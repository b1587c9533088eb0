/// Why the cloud tier refused a backup object or manifest: what kind of damage, which object,
/// and what to do. Storage failures themselves stay `S3Error`s.
public struct BackupStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The stream object (or manifest) is not in the bucket.
        case missingObject
        /// The object was written with another key (its key id differs).
        case wrongKey
        /// Authentication failed: bytes were changed, reordered or spliced.
        case tampered
        /// The object ends early (cut at a chunk boundary or inside a chunk).
        case truncated
        /// Not a homelab backup object or manifest at all, or a format version this build lacks.
        case notABackup
        /// The configured key itself is unusable (not 32 bytes of hex).
        case invalidKey
    }

    public var kind: Kind
    /// The object's key in the bucket.
    public var object: String?
    public var message: String

    public init(_ kind: Kind, object: String?, _ message: String) {
        self.kind = kind
        self.object = object
        self.message = message
    }

    public var hint: String {
        switch kind {
        case .missingObject: "The manifest names an object the bucket no longer has; restore from an older snapshot or another tier."
        case .wrongKey: "Check the encryption-key secret the storage policy names: it is not the key this backup was written with."
        case .tampered, .truncated: "Do not use this copy: restore from another tier or an older snapshot, and find out who changed the bucket."
        case .notABackup: "The object is not a homelab backup (docs/backup-format.md), or was written by a newer homelab."
        case .invalidKey: "Make a key with `openssl rand -hex 32` and store it in the secret; keep a copy offline, without it no backup can be read."
        }
    }

    public var description: String {
        (object.map { "\($0): " } ?? "") + message + "\n  " + hint
    }
}
