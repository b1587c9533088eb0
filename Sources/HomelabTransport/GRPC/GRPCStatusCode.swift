/// The 17 gRPC status codes (grpc/doc/statuscodes.md), with the names servers and logs use.
public enum GRPCStatusCode: Int, Sendable, CaseIterable, CustomStringConvertible {
    case ok = 0
    case cancelled = 1
    case unknown = 2
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case aborted = 10
    case outOfRange = 11
    case unimplemented = 12
    case `internal` = 13
    case unavailable = 14
    case dataLoss = 15
    case unauthenticated = 16

    /// `DEADLINE_EXCEEDED`, as in the gRPC specification and server logs.
    public var name: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }

    public var description: String { name }

    /// The code for a response whose HTTP status is not 200, from gRPC's
    /// http-grpc-status-mapping.md (a proxy or a non-gRPC server answered).
    public init(httpStatus: Int) {
        switch httpStatus {
        case 400: self = .internal
        case 401: self = .unauthenticated
        case 403: self = .permissionDenied
        case 404: self = .unimplemented
        case 429, 502, 503, 504: self = .unavailable
        default: self = .unknown
        }
    }

    /// What the caller can do about a failure with this code (one sentence, for error texts).
    var advice: String {
        switch self {
        case .ok: ""
        case .cancelled: "The call was cancelled; retry if that was not intended."
        case .unknown: "The server did not say what went wrong; check its logs."
        case .invalidArgument, .outOfRange: "Fix the request; retrying it unchanged will fail again."
        case .deadlineExceeded: "Retry with a longer deadline, or find out why the server is slow."
        case .notFound, .alreadyExists: "Check the object the request names."
        case .permissionDenied: "The client certificate's roles do not allow this; use one with the needed role (e.g. os:admin)."
        case .resourceExhausted: "A limit was hit (messages are limited to 32 MiB); ask for less at once or retry later."
        case .failedPrecondition: "The server is not in a state to do this yet; check its state, then retry."
        case .aborted: "Another operation got in the way; retry."
        case .unimplemented: "The server does not offer this method; check the method name, the endpoint and the server's version."
        case .internal: "The server or the connection broke the protocol; check the server's logs, then retry."
        case .unavailable: "Check that the server runs at that address and that the TLS settings match, then retry."
        case .dataLoss: "Data was lost or corrupted; do not trust partial results."
        case .unauthenticated: "The server did not accept the client's identity; check the client certificate and key."
        }
    }
}
