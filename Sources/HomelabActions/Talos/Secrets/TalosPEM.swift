import Crypto
import Foundation
import SwiftASN1
import X509

/// PEM as Talos writes it (siderolabs/crypto's x509 package): certificates as `CERTIFICATE`,
/// Ed25519 keys as PKCS#8 under the label `ED25519 PRIVATE KEY`, ECDSA keys as SEC1
/// `EC PRIVATE KEY`. Read leniently (`PRIVATE KEY` and `RSA PRIVATE KEY` too), written exactly.
public enum TalosPEM {
    public static let ed25519Label = "ED25519 PRIVATE KEY"
    public static let ecLabel = "EC PRIVATE KEY"

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public static func certificate(_ pem: String) throws(Failure) -> Certificate {
        let document = try document(pem)
        guard document.discriminator == "CERTIFICATE" else {
            throw Failure(reason: "is a PEM '\(document.discriminator)', not a CERTIFICATE")
        }
        do {
            return try Certificate(derEncoded: document.derBytes)
        } catch {
            throw Failure(reason: "is not a valid X.509 certificate (\(describe(error)))")
        }
    }

    public static func privateKey(_ pem: String) throws(Failure) -> Certificate.PrivateKey {
        var document = try document(pem)
        // The body under Talos' Ed25519 label is plain PKCS#8: only the label is Talos' own.
        if document.discriminator == ed25519Label { document = PEMDocument(type: "PRIVATE KEY", derBytes: document.derBytes) }
        guard ["PRIVATE KEY", ecLabel, "RSA PRIVATE KEY"].contains(document.discriminator) else {
            throw Failure(reason: "is a PEM '\(document.discriminator)', not a private key")
        }
        do {
            return try Certificate.PrivateKey(pemDocument: document)
        } catch {
            throw Failure(reason: "is not a valid private key (\(describe(error)))")
        }
    }

    public static func pem(_ certificate: Certificate) throws -> String {
        try certificate.serializeAsPEM().pemString + "\n"
    }

    public static func pem(_ key: Curve25519.Signing.PrivateKey) throws -> String {
        let pkcs8 = try PEMDocument(pemString: key.pemRepresentation)
        return PEMDocument(type: ed25519Label, derBytes: pkcs8.derBytes).pemString + "\n"
    }

    /// SEC1 ECPrivateKey with the curve and the public key, as Go's MarshalECPrivateKey writes it.
    public static func pem(_ key: P256.Signing.PrivateKey) throws -> String {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try coder.serialize(ASN1OctetString(contentBytes: ArraySlice(key.rawRepresentation)))
            try coder.serialize(ASN1ObjectIdentifier.NamedCurves.secp256r1, explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific)
            try coder.serialize(
                ASN1BitString(bytes: ArraySlice(key.publicKey.x963Representation)), explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific)
        }
        return PEMDocument(type: ecLabel, derBytes: serializer.serializedBytes).pemString + "\n"
    }

    private static func document(_ pem: String) throws(Failure) -> PEMDocument {
        do {
            return try PEMDocument(pemString: pem.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw Failure(reason: "is not PEM (\(describe(error)))")
        }
    }

    /// Parser errors name structures, never the bytes they were given.
    private static func describe(_ error: any Error) -> String {
        if let asn1 = error as? ASN1Error { return "\(asn1.code)" }
        return String(describing: type(of: error))
    }
}
