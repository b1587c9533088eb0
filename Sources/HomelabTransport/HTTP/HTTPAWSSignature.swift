/// Signs a request with AWS Signature Version 4 through libcurl (`CURLOPT_AWS_SIGV4`): S3 and the
/// S3-compatible servers. The secret goes to libcurl only; it is never part of a description.
///
/// libcurl 7.88 signs every header the request carries and takes the payload hash from an
/// `x-amz-content-sha256` header when there is one (S3 requires that header, and libcurl 7.88
/// does not add it), so the caller sets it. It signs the URL's path and query exactly as given:
/// callers encode them canonically (`S3` percent-encoding, query parameters sorted).
public struct HTTPAWSSignature: Sendable, Equatable, CustomStringConvertible {
    /// `aws:amz:REGION:SERVICE`, e.g. `aws:amz:us-east-1:s3`.
    public var provider: String
    public var accessKey: String
    public var secretKey: String

    public init(region: String, service: String, accessKey: String, secretKey: String) {
        provider = "aws:amz:\(region):\(service)"
        self.accessKey = accessKey
        self.secretKey = secretKey
    }

    public var description: String { "SigV4(\(provider), access key \(accessKey))" }
}
