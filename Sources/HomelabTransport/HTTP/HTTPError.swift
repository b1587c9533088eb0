/// Why an HTTP exchange failed, where (method and URL without credentials or query), and what to
/// do next. Never carries keys, tokens or header values.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidRequest(String)
        case hostNotFound(host: String)
        case connectionRefused
        case connectionFailed(String)
        /// The chain did not verify against the trusted authorities (curl's reason).
        case tlsVerificationFailed(String)
        /// The server's certificate or key is not the pinned one.
        case pinMismatch(expected: String, actual: String)
        /// The handshake failed for another reason (protocol, client certificate refused).
        case tlsHandshakeFailed(String)
        case timedOut(HTTPTimeoutKind)
        case cancelled
        /// The peer closed or reset the connection before the response was complete.
        case connectionDropped(String)
        /// A status the caller did not accept, with the start of the body.
        case status(Int, bodyExcerpt: String)
        /// Reading the request body or writing the response somewhere local failed.
        case localIO(String)
        case transport(code: Int, String)
    }

    public let kind: Kind
    public let method: String
    /// The URL with user, password and query removed.
    public let url: String

    public init(_ kind: Kind, method: String, url: String) {
        self.kind = kind
        self.method = method
        self.url = HTTPError.redacted(url)
    }

    public var description: String {
        let at = "\(method) \(url)"
        switch kind {
        case .invalidRequest(let reason):
            return "\(at): invalid request: \(reason). Fix the request."
        case .hostNotFound(let host):
            return "\(at): host \(host) not found (DNS). Check the host name and the resolver."
        case .connectionRefused:
            return "\(at): connection refused. Check that the service runs and listens on that port."
        case .connectionFailed(let reason):
            return "\(at): could not connect: \(reason). Check the address, routes and firewall."
        case .tlsVerificationFailed(let reason):
            return "\(at): the server's TLS certificate was not trusted: \(reason). Trust its CA, or pin its fingerprint."
        case .pinMismatch(let expected, let actual):
            return "\(at): the server's certificate does not match the pin: expected \(expected), got \(actual). "
                + "Nothing was sent. If the server's certificate was renewed on purpose, update the pin; otherwise suspect an impostor."
        case .tlsHandshakeFailed(let reason):
            return "\(at): TLS handshake failed: \(reason). Check the client certificate and the server's TLS settings."
        case .timedOut(let which):
            return "\(at): the \(which.rawValue) timeout ran out. The server may be down or slow; retry or raise the timeout."
        case .cancelled:
            return "\(at): cancelled."
        case .connectionDropped(let reason):
            return "\(at): the connection dropped before the response was complete (\(reason)). Retry; the server may have restarted."
        case .status(let code, let excerpt):
            let body = excerpt.isEmpty ? "" : ": \(excerpt)"
            return "\(at): HTTP \(code)\(body)"
        case .localIO(let reason):
            return "\(at): \(reason)"
        case .transport(let code, let reason):
            return "\(at): transfer failed (curl \(code)): \(reason)"
        }
    }

    /// Drops user information and the query (which may carry tokens) from a URL.
    static func redacted(_ url: String) -> String {
        var text = url
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            text = String(text[..<query]) + (text[query] == "?" ? "?…" : "")
        }
        guard let scheme = text.firstRange(of: "://") else { return text }
        let authorityStart = scheme.upperBound
        let authorityEnd = text[authorityStart...].firstIndex(of: "/") ?? text.endIndex
        if let at = text[authorityStart..<authorityEnd].lastIndex(of: "@") {
            text.removeSubrange(authorityStart...at)
        }
        return text
    }
}
