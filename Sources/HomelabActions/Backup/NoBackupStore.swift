import HomelabCore

/// For contexts that handed in no cloud store (tests of other parts, a build without the S3
/// store wired in): every call is refused with why, so the cloud tier shows as unknown.
public struct NoBackupStore: BackupStore {
    public var reason: String

    public init(reason: String = "no cloud store is available here") {
        self.reason = reason
    }

    public func upload(
        _ stream: AsyncThrowingStream<[UInt8], any Error>, of snapshot: BackupSnapshot, progress: @escaping @Sendable (Int64) -> Void
    ) async throws -> BackupManifest {
        throw ActionError(reason)
    }

    public func manifests(dataset: String) async throws -> [BackupManifest] {
        throw ActionError(reason)
    }

    public func download(
        _ manifest: BackupManifest, to sink: @escaping @Sendable ([UInt8]) async throws -> Void, progress: @escaping @Sendable (Int64) -> Void
    ) async throws {
        throw ActionError(reason)
    }

    public func delete(_ manifest: BackupManifest) async throws {
        throw ActionError(reason)
    }

    public func strays(dataset: String) async throws -> [BackupStray] {
        throw ActionError(reason)
    }

    public func delete(stray: BackupStray) async throws {
        throw ActionError(reason)
    }
}
