import HomelabCore

/// Opens the cloud tier for real: the S3 store of the step's `cloud` with its secrets
/// (LiveBackupStore.live). A malformed key is the step's error, its value never in the message.
public struct LiveBackupStores: BackupStoreOpening {
    public init() {}

    public func open(_ cloud: CloudTarget, context: any ActionContext) async throws -> any BackupStore {
        try LiveBackupStore.live(
            endpoint: cloud.endpoint, region: cloud.region.isEmpty ? "us-east-1" : cloud.region, bucket: cloud.bucket, prefix: cloud.prefix,
            accessKey: cloud.accessKey, secretKey: cloud.secretKey, encryptionKeyHex: cloud.encryptionKey)
    }
}
