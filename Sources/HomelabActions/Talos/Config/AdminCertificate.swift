import Crypto
import Foundation
import X509

/// A Talos API client certificate as talosctl makes one for a talosconfig: a new Ed25519 key,
/// O = the role (`os:admin`), keyUsage digitalSignature, extended key usage clientAuth only
/// (apid refuses any other), signed by the OS CA, valid for a year from now.
public enum AdminCertificate {
    /// Talos' TalosAPIDefaultCertificateValidityDuration.
    public static let validity: TimeInterval = 365 * 24 * 3600

    public static func issue(by os: PEMCertificateAndKey, role: String = "os:admin", now: Date = Date()) throws -> PEMCertificateAndKey {
        let (ca, caKey) = try os.check()
        guard let caKey else { throw TalosPEM.Failure(reason: "the OS CA has no key: a client certificate needs the control-plane secrets") }
        let key = Curve25519.Signing.PrivateKey()
        let subject = try DistinguishedName { OrganizationName(role) }
        let certificate = try TalosCertificateAuthority.issue(
            publicKey: Certificate.PrivateKey(key).publicKey, subject: subject, usages: [.clientAuth], now: now, validity: validity, ca: ca, caKey: caKey)
        return PEMCertificateAndKey(crt: try TalosPEM.pem(certificate), key: try TalosPEM.pem(key))
    }
}
