import HomelabTransport

/// Learns which certificate a host presents without sending it anything: a handshake pinned to a
/// fingerprint no certificate has fails inside TLS, before the first request byte (and the token).
enum ProxmoxCertificateProbe {
    static let impossiblePin = HTTPCertificateFingerprint(bytes: [UInt8](repeating: 0, count: 32))

    /// `client` must be pinned to `impossiblePin`.
    static func presentedFingerprint(of url: String, using client: HTTPClient, timeouts: ProxmoxTimeouts) async throws -> String {
        guard url.lowercased().hasPrefix("https://") else {
            throw ProxmoxError(.fatal, call: "connect \(url)", message: "the Proxmox API is served over HTTPS only",
                               hint: "Set proxmox.api to https://<host>:8006/api2/json in the inventory.")
        }
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        do {
            _ = try await client.send(HTTPRequest(method: "GET", url: base + "/version", timeout: timeouts.request))
        } catch let error as HTTPError {
            if case .pinMismatch(_, let actual) = error.kind { return actual }
            if error.kind == .cancelled { throw CancellationError() }
            // Refused, not in DNS yet, timed out: the host may still be booting, so the step's
            // retry applies; a TLS failure will not pass by waiting.
            let waiting = try ProxmoxErrorClassifier.from(error, request: ProxmoxRequest("GET", ["version"])).isTransient
            throw ProxmoxError(waiting ? .transient : .fatal, call: "connect \(url)", message: "could not reach the Proxmox API: \(error)",
                               hint: ProxmoxErrorClassifier.unreachableHint)
        }
        throw ProxmoxError(.fatal, call: "connect \(url)", message: "the certificate check accepted a fingerprint no certificate has",
                           hint: "This is a bug in homelab's TLS pinning; do not trust this connection.")
    }
}
