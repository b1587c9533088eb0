/// One request for `HTTPClient.send`. Header values may hold tokens: they never reach an error.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: HTTPHeaders
    public var body: HTTPRequestBody
    /// Overrides the client's total timeout for this request (nil keeps the client's).
    public var timeout: Duration?
    /// Called on the client's event-loop thread as bytes move: keep it short.
    public var progress: (@Sendable (HTTPProgress) -> Void)?
    /// Signs the request (S3); nil sends it as it is.
    public var signature: HTTPAWSSignature?

    public init(
        method: String = "GET", url: String, headers: HTTPHeaders = HTTPHeaders(),
        body: HTTPRequestBody = .none, timeout: Duration? = nil,
        progress: (@Sendable (HTTPProgress) -> Void)? = nil, signature: HTTPAWSSignature? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.progress = progress
        self.signature = signature
    }
}

/// Where the request body comes from. Files and multipart forms are streamed from disk with their
/// length known up front (sent as Content-Length).
public enum HTTPRequestBody: Sendable {
    case none
    case bytes([UInt8])
    case file(path: String)
    case multipart(HTTPMultipartForm)
}

/// How far a transfer got. Totals are nil while unknown.
public struct HTTPProgress: Sendable, Equatable {
    public var sentBytes: Int64
    public var totalToSend: Int64?
    public var receivedBytes: Int64
    public var totalToReceive: Int64?

    public init(sentBytes: Int64, totalToSend: Int64?, receivedBytes: Int64, totalToReceive: Int64?) {
        self.sentBytes = sentBytes
        self.totalToSend = totalToSend
        self.receivedBytes = receivedBytes
        self.totalToReceive = totalToReceive
    }
}
