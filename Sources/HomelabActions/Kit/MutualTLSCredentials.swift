import HomelabTransport

/// A CA to trust and a client certificate with its key, PEM in memory: what mutual TLS with a
/// cluster's own PKI needs (a talosconfig's ca/crt/key, a kubeconfig's certificate data). Keys
/// never touch the disk here, and the description never shows one.
public struct MutualTLSCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The CA the server's certificate must chain to.
    public let ca: String
    public let certificate: String
    /// PKCS#8, SEC1 or PKCS#1 PEM; Talos' `ED25519 PRIVATE KEY` label is taken as PKCS#8 (the
    /// transport relabels it in memory, see HTTPClientIdentity).
    public let key: String

    public init(ca: String, certificate: String, key: String) {
        self.ca = ca
        self.certificate = certificate
        self.key = key
    }

    /// The HTTP client configuration: this CA only, with this certificate and key.
    func configuration(timeouts: HTTPTimeouts) -> HTTPClientConfiguration {
        HTTPClientConfiguration(
            trust: .certificateAuthority(pem: ca),
            identity: HTTPClientIdentity(certificatePEM: certificate, privateKeyPEM: key),
            timeouts: timeouts)
    }

    public var description: String {
        "MutualTLSCredentials(ca: \(ca.utf8.count) bytes, certificate: \(certificate.utf8.count) bytes, key: redacted)"
    }
}
