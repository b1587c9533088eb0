import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// Maps libcurl's result codes and messages to what went wrong in the caller's terms.
enum CurlFailure {
    static func kind(code: CURLcode, message: String, osErrno: Int, url: String, cancelled: Bool) -> HTTPError.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            return .hostNotFound(host: host(of: url))
        case CURLE_COULDNT_CONNECT:
            return osErrno == Int(ECONNREFUSED) ? .connectionRefused : .connectionFailed(message)
        case CURLE_OPERATION_TIMEDOUT:
            if message.contains("too slow") { return .timedOut(.lowSpeed) }
            if message.contains("Operation timed out") { return .timedOut(.total) }
            return .timedOut(.connect)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .tlsVerificationFailed(message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR:
            return message.contains("certificate verify failed") ? .tlsVerificationFailed(message) : .tlsHandshakeFailed(message)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR:
            // TLS 1.3 servers refuse a missing client certificate after the client's handshake ends.
            return message.contains("alert") ? .tlsHandshakeFailed(message) : .connectionDropped(message)
        case CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionDropped(message)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .invalidRequest(message)
        case CURLE_WRITE_ERROR where cancelled, CURLE_ABORTED_BY_CALLBACK where cancelled:
            return .cancelled
        default:
            return .transport(code: Int(code.rawValue), message)
        }
    }

    static func host(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last ?? authority
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            return String(hostPort[...close])
        }
        return String(hostPort.prefix { $0 != ":" })
    }
}
