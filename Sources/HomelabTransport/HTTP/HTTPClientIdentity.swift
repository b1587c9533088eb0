/// A client certificate and its private key, PEM in memory, for mutual TLS (Talos, Kubernetes).
/// The description never shows the key.
public struct HTTPClientIdentity: Sendable, Equatable, CustomStringConvertible {
    public let certificatePEM: String
    let keyPEM: String

    /// Ed25519, ECDSA and RSA keys in PKCS#8 or the traditional labels. Talos labels its PKCS#8
    /// Ed25519 keys `ED25519 PRIVATE KEY`, which OpenSSL does not know: the body is plain PKCS#8,
    /// so the label is rewritten to `PRIVATE KEY`.
    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.keyPEM =
            privateKeyPEM
            .replacingAll("-----BEGIN ED25519 PRIVATE KEY-----", with: "-----BEGIN PRIVATE KEY-----")
            .replacingAll("-----END ED25519 PRIVATE KEY-----", with: "-----END PRIVATE KEY-----")
    }

    public var description: String { "HTTPClientIdentity(certificate: \(certificatePEM.utf8.count) bytes, key: redacted)" }
}

extension String {
    /// Plain substring replacement without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
