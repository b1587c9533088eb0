/// Where a bucket is and who may use it. The S3 client speaks path-style URLs
/// (`http://host:port/bucket/key`): what S3-compatible servers on a LAN and on loopback accept
/// without a DNS name per bucket.
public struct S3Endpoint: Sendable, Equatable, CustomStringConvertible {
    /// `https://s3.example.net` or `http://127.0.0.1:9000`, without a path.
    public var url: String
    public var region: String
    public var bucket: String
    public var credentials: S3Credentials

    public init(url: String, region: String, bucket: String, credentials: S3Credentials) {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        self.url = url
        self.region = region
        self.bucket = bucket
        self.credentials = credentials
    }

    public var description: String { "s3 bucket \(bucket) at \(url) (\(region))" }
}

/// An access key and its secret. The secret never appears in a description, an error or a log.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKey: String
    public var secretKey: String

    public init(accessKey: String, secretKey: String) {
        self.accessKey = accessKey
        self.secretKey = secretKey
    }

    public var description: String { "access key \(accessKey)" }
}
