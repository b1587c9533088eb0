/// Learns which certificate a server presents without sending it anything: a handshake pinned to
/// a fingerprint no certificate has fails inside TLS, before the first request byte (and before
/// any token or client secret). This is how a changed self-signed certificate is noticed and put
/// to the operator instead of being trusted or refused blindly.
public enum HTTPCertificateProbe {
    /// All zeros: no certificate hashes to it.
    public static let impossiblePin = HTTPCertificateFingerprint(bytes: [UInt8](repeating: 0, count: 32))

    /// Why the probe learned nothing.
    public enum Failure: Error, Sendable {
        /// Only `https://` URLs present a certificate.
        case notHTTPS(url: String)
        /// No handshake: refused, not in DNS, timed out, a TLS failure other than the pin.
        case unreachable(HTTPError)
        /// The TLS layer named a fingerprint that is not 32 bytes of hex.
        case unreadable(String)
        /// The handshake accepted the impossible pin: pinning is broken, trust nothing.
        case pinAccepted(url: String)
    }

    /// What a probing client must be made with: the impossible pin, and the caller's timeouts.
    public static func configuration(timeouts: HTTPTimeouts = HTTPTimeouts()) -> HTTPClientConfiguration {
        HTTPClientConfiguration(trust: .pinnedCertificate(impossiblePin), timeouts: timeouts)
    }

    /// All zeros again, as a public-key pin: no key hashes to it.
    public static let impossiblePublicKeyPin = HTTPPublicKeyPin(digest: [UInt8](repeating: 0, count: 32))

    /// What a client probing the server's public key must be made with (Talos pins the key's
    /// SHA-256, not the certificate's).
    public static func publicKeyConfiguration(timeouts: HTTPTimeouts = HTTPTimeouts()) -> HTTPClientConfiguration {
        HTTPClientConfiguration(trust: .pinnedPublicKey(impossiblePublicKeyPin), timeouts: timeouts)
    }

    /// The fingerprint the server at `url` presents. `client` must be made with `configuration`.
    /// Throws `Failure`, or CancellationError when the calling task is cancelled.
    public static func presentedFingerprint(at url: String, using client: HTTPClient, timeout: Duration) async throws -> HTTPCertificateFingerprint {
        let actual = try await presentedPin(at: url, using: client, timeout: timeout)
        guard let fingerprint = HTTPCertificateFingerprint(actual) else { throw Failure.unreadable(actual) }
        return fingerprint
    }

    /// The public-key pin of the server at `url`. `client` must be made with
    /// `publicKeyConfiguration`. Throws like `presentedFingerprint`.
    public static func presentedPublicKey(at url: String, using client: HTTPClient, timeout: Duration) async throws -> HTTPPublicKeyPin {
        let actual = try await presentedPin(at: url, using: client, timeout: timeout)
        guard let pin = HTTPPublicKeyPin(actual) else { throw Failure.unreadable(actual) }
        return pin
    }

    /// What the TLS layer reported the server presented, in the form the client's pin has.
    private static func presentedPin(at url: String, using client: HTTPClient, timeout: Duration) async throws -> String {
        guard url.lowercased().hasPrefix("https://") else { throw Failure.notHTTPS(url: url) }
        do {
            _ = try await client.send(HTTPRequest(method: "GET", url: url, timeout: timeout))
        } catch let error as HTTPError {
            if error.kind == .cancelled { throw CancellationError() }
            guard case .pinMismatch(_, let actual) = error.kind else { throw Failure.unreachable(error) }
            return actual
        }
        throw Failure.pinAccepted(url: url)
    }
}
