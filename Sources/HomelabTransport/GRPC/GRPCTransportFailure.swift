/// Which gRPC code a failed HTTP exchange stands for (gRPC: connection and handshake failures are
/// UNAVAILABLE; HTTP/2 stream errors are INTERNAL).
enum GRPCTransportFailure {
    static func code(for error: any Error) -> GRPCStatusCode {
        guard let error = error as? HTTPError else { return .unavailable }
        switch error.kind {
        case .cancelled: return .cancelled
        case .timedOut: return .deadlineExceeded
        case .status(let status, _): return GRPCStatusCode(httpStatus: status)
        case .invalidRequest, .localIO: return .internal
        // curl 16 (CURLE_HTTP2) and 92 (CURLE_HTTP2_STREAM): a framing error or RST_STREAM.
        case .transport(let code, _) where code == 16 || code == 92: return .internal
        default: return .unavailable
        }
    }
}
