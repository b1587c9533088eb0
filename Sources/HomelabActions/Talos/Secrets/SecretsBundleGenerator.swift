import Crypto
import Foundation
import X509

/// Makes a new secrets bundle natively, as `talosctl gen secrets` does for current contracts:
/// an Ed25519 OS CA (O=talos), ECDSA P-256 CAs for Kubernetes (O=kubernetes), its aggregator
/// (CN=front-proxy) and etcd (O=etcd), an ECDSA service-account key, tokens and secrets.
public enum SecretsBundleGenerator {
    public static func generate(now: Date = Date()) throws -> TalosSecretsBundle {
        TalosSecretsBundle(
            clusterID: TalosToken.clusterID(),
            clusterSecret: TalosToken.base64Secret(),
            bootstrapToken: TalosToken.make(),
            secretboxEncryptionSecret: TalosToken.base64Secret(),
            trustdToken: TalosToken.make(),
            etcd: try ecdsaCA(DistinguishedName { OrganizationName("etcd") }, now: now),
            kubernetes: try ecdsaCA(DistinguishedName { OrganizationName("kubernetes") }, now: now),
            aggregator: try ecdsaCA(DistinguishedName { CommonName("front-proxy") }, now: now),
            serviceAccountKey: try TalosPEM.pem(P256.Signing.PrivateKey()),
            os: try osCA(now: now)
        )
    }

    private static func ecdsaCA(_ subject: DistinguishedName, now: Date) throws -> PEMCertificateAndKey {
        let key = P256.Signing.PrivateKey()
        let certificate = try TalosCertificateAuthority.selfSigned(key: Certificate.PrivateKey(key), subject: subject, now: now)
        return PEMCertificateAndKey(crt: try TalosPEM.pem(certificate), key: try TalosPEM.pem(key))
    }

    private static func osCA(now: Date) throws -> PEMCertificateAndKey {
        let key = Curve25519.Signing.PrivateKey()
        let subject = try DistinguishedName { OrganizationName("talos") }
        let certificate = try TalosCertificateAuthority.selfSigned(key: Certificate.PrivateKey(key), subject: subject, now: now)
        return PEMCertificateAndKey(crt: try TalosPEM.pem(certificate), key: try TalosPEM.pem(key))
    }
}
