/// A gRPC call that did not end with OK: the status code, the message (the server's, decoded, or
/// ours), which method at which endpoint, and what to do next. Never carries metadata values.
public struct GRPCError: Error, Sendable, CustomStringConvertible {
    /// Whether the status came from the server or was decided here (deadline, framing, transport).
    public enum Origin: Sendable, Equatable {
        case server
        case client
    }

    public let code: GRPCStatusCode
    public let message: String
    /// `/<package>.<Service>/<Method>`.
    public let method: String
    /// The server's base URL, without credentials.
    public let endpoint: String
    public let origin: Origin
    /// The raw `grpc-status-details-bin` (a serialized google.rpc.Status) when the server sent one.
    public let details: [UInt8]?
    /// The transport's own error when the exchange itself failed (connect, TLS, reset).
    public let underlying: (any Error)?

    public init(
        code: GRPCStatusCode, message: String, method: String, endpoint: String,
        origin: Origin = .client, details: [UInt8]? = nil, underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.method = method
        self.endpoint = HTTPError.redacted(endpoint)
        self.origin = origin
        self.details = details
        self.underlying = underlying
    }

    public var description: String {
        let what = origin == .server ? "the server answered" : "failed with"
        var message = message.isEmpty ? "(no message)" : message
        while message.hasSuffix(".") { message.removeLast() } // ours and the transport's end in "."
        return "gRPC \(method) at \(endpoint): \(what) \(code.name) (\(code.rawValue)): \(message). \(code.advice)"
    }
}
