import HomelabTransport

extension LiveBackupStore {
    /// The store for a bucket as the storage policy describes it (`tiers.cloud`, secrets
    /// resolved): an S3 client with S3's own deadlines (no total timeout; a stalled transfer
    /// fails) and the key parsed. What a `BackupStoreOpening` needs to open the cloud tier.
    public static func live(
        endpoint: String, region: String, bucket: String, prefix: String, accessKey: String, secretKey: String,
        encryptionKeyHex: String, trust: HTTPServerTrust = .systemAuthorities
    ) throws -> LiveBackupStore {
        let key = try BackupKey(hex: encryptionKeyHex)
        let http = try HTTPClient(configuration: LiveS3Client.httpConfiguration(trust: trust))
        let s3 = S3Endpoint(url: endpoint, region: region, bucket: bucket, credentials: S3Credentials(accessKey: accessKey, secretKey: secretKey))
        return LiveBackupStore(client: LiveS3Client(http: http, endpoint: s3), prefix: prefix, key: key)
    }
}
