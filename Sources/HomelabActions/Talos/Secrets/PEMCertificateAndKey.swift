import X509

/// A certificate and, where the node may sign with it, its private key: both PEM text, as the
/// secrets bundle and the machine config carry them (there base64-encoded).
public struct PEMCertificateAndKey: Sendable, Equatable {
    public var crt: String
    public var key: String?

    public init(crt: String, key: String?) {
        self.crt = crt
        self.key = key
    }

    /// Parses both and checks that the key is the certificate's: a bundle whose CA key was
    /// swapped would give nodes configs they cannot use, found out only at bootstrap.
    func check() throws(TalosPEM.Failure) -> (Certificate, Certificate.PrivateKey?) {
        let certificate: Certificate
        do { certificate = try TalosPEM.certificate(crt) } catch { throw TalosPEM.Failure(reason: "crt " + error.reason) }
        guard let key else { return (certificate, nil) }
        let privateKey: Certificate.PrivateKey
        do { privateKey = try TalosPEM.privateKey(key) } catch { throw TalosPEM.Failure(reason: "key " + error.reason) }
        guard privateKey.publicKey == certificate.publicKey else {
            throw TalosPEM.Failure(reason: "key does not belong to the certificate crt (their public keys differ)")
        }
        return (certificate, privateKey)
    }
}
