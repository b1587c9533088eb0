import HomelabCore

/// Opens the cloud tier's store for a step: the live one speaks S3 (endpoint, bucket and keys
/// from the step's inputs); tests hand in one that returns an in-memory store.
public protocol BackupStoreOpening: Sendable {
    func open(_ cloud: CloudTarget, context: any ActionContext) async throws -> any BackupStore
}

/// Where the cloud tier lives and the secrets to reach and read it (storage/policy.yaml's
/// `tiers.cloud`, with the secrets' values resolved). Never printed: `display` has no secret.
public struct CloudTarget: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var endpoint: String
    public var region: String
    public var bucket: String
    public var prefix: String
    public var accessKey: String
    public var secretKey: String
    public var encryptionKey: String

    public init(endpoint: String, region: String, bucket: String, prefix: String, accessKey: String, secretKey: String, encryptionKey: String) {
        self.endpoint = endpoint
        self.region = region
        self.bucket = bucket
        self.prefix = prefix
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.encryptionKey = encryptionKey
    }

    /// `s3://bucket/prefix at endpoint`, for messages.
    public var display: String { "s3://\(bucket)/\(prefix) at \(endpoint)" }

    /// Printed whole (an interpolation, a dump), it still shows no secret.
    public var description: String { display }
    public var debugDescription: String { display }
}

/// Until the live S3 store is part of the build: every open is refused with a clear error.
public struct NoBackupStores: BackupStoreOpening {
    public init() {}

    public func open(_ cloud: CloudTarget, context: any ActionContext) async throws -> any BackupStore {
        throw ActionError("no cloud store is available here (asked to open \(cloud.display))")
    }
}
