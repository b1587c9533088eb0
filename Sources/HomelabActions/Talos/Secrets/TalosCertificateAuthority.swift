import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates as Talos makes them (siderolabs/crypto): self-signed CAs for the secrets bundle
/// and leaf certificates signed by one of them.
public enum TalosCertificateAuthority {
    /// 87600 h, Talos' CA lifetime.
    public static let caValidity: TimeInterval = 87_600 * 3600

    /// A CA: basicConstraints CA:TRUE and keyCertSign + digitalSignature, both critical; the
    /// extended key usages serverAuth and clientAuth, as Talos' CAs carry them.
    public static func selfSigned(key: Certificate.PrivateKey, subject: DistinguishedName, now: Date) throws -> Certificate {
        let extensions = try Certificate.Extensions {
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            SubjectKeyIdentifier(hash: key.publicKey)
        }
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey, notValidBefore: second(now),
            notValidAfter: second(now) + caValidity,
            issuer: subject, subject: subject, signatureAlgorithm: signatureAlgorithm(for: key), extensions: extensions, issuerPrivateKey: key)
    }

    /// A leaf certificate for `publicKey`, signed by the CA.
    public static func issue(
        publicKey: Certificate.PublicKey, subject: DistinguishedName, usages: [ExtendedKeyUsage.Usage], now: Date, validity: TimeInterval,
        ca: Certificate, caKey: Certificate.PrivateKey
    ) throws -> Certificate {
        let authority = AuthorityKeyIdentifier(keyIdentifier: try ca.extensions.subjectKeyIdentifier?.keyIdentifier)
        let extensions = try Certificate.Extensions {
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage(usages)
            if authority.keyIdentifier != nil { authority }
        }
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey, notValidBefore: second(now),
            notValidAfter: second(now) + validity,
            issuer: ca.subject, subject: subject, signatureAlgorithm: signatureAlgorithm(for: caKey), extensions: extensions, issuerPrivateKey: caKey)
    }

    /// X.509 times have whole seconds, and a fraction rounded up would make a certificate that
    /// is not yet valid for up to a second after it was made: its start is the second it began in.
    static func second(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// Talos' ECDSA CAs sign with SHA-256 (current contracts); Ed25519 has one algorithm; RSA
    /// (old bundles) SHA-512.
    static func signatureAlgorithm(for key: Certificate.PrivateKey) -> Certificate.SignatureAlgorithm {
        let supported = key.supportedSignatureAlgorithms
        for preferred in [Certificate.SignatureAlgorithm.ed25519, .ecdsaWithSHA256, .sha512WithRSAEncryption] where supported.contains(preferred) {
            return preferred
        }
        return supported[0]
    }
}
