/// An S3 call that failed: which call, how to treat it, and what the server said (its error code,
/// message and request id, from the XML error body). Never carries a secret or a signature.
public struct S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// 5xx, SlowDown, RequestTimeout, a dropped connection or a timeout: trying again may work.
        case transient
        /// NoSuchKey, NoSuchUpload (404 on an object).
        case notFound
        /// NoSuchBucket.
        case noSuchBucket
        /// SignatureDoesNotMatch, InvalidAccessKeyId: the credentials are wrong.
        case unauthorized
        /// AccessDenied: the credentials are right but lack a permission.
        case forbidden
        /// Everything else: a refusal that retrying will not change.
        case fatal
    }

    public var kind: Kind
    /// `PUT homelab-backups/tank/apps/immich/x.zstream`: method, bucket and key (no query).
    public var call: String
    public var status: Int?
    /// S3's error code (`NoSuchKey`), when the server sent one.
    public var code: String?
    public var message: String
    /// The server's request id, to find the call in its logs.
    public var requestID: String?
    public var hint: String?

    public init(
        _ kind: Kind, call: String, status: Int? = nil, code: String? = nil, message: String,
        requestID: String? = nil, hint: String? = nil
    ) {
        self.kind = kind
        self.call = call
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.hint = hint
    }

    public var isTransient: Bool { kind == .transient }

    public var description: String {
        var text = "\(call): "
        if let code { text += "\(code): " }
        text += message
        if let status { text += " (HTTP \(status)" + (requestID.map { ", request id \($0)" } ?? "") + ")" }
        if let hint { text += "\n  \(hint)" }
        return text
    }
}
