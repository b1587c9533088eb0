import Foundation

/// The cluster's secrets, as `talosctl gen secrets` writes them to `secrets.yaml`: what the
/// operator backs up, and all a new node needs besides the templates and the inventory. PEM
/// values are kept as text; the file and the machine configs hold them base64-encoded.
public struct TalosSecretsBundle: Sendable, Equatable {
    /// Discovery identity: base64url of 32 random bytes, and base64 of 32 random bytes.
    public var clusterID: String
    public var clusterSecret: String
    /// The Kubernetes bootstrap token, `[a-z0-9]{6}.[a-z0-9]{16}`.
    public var bootstrapToken: String
    /// The etcd encryption key: secretbox (Talos > 1.2), or AES-CBC in bundles of older contracts.
    public var secretboxEncryptionSecret: String?
    public var aescbcEncryptionSecret: String?
    /// The token workers use to get their certificates from trustd.
    public var trustdToken: String
    public var etcd: PEMCertificateAndKey
    public var kubernetes: PEMCertificateAndKey
    public var aggregator: PEMCertificateAndKey
    public var serviceAccountKey: String
    /// The OS (Talos API) CA: Ed25519; talosconfig client certificates are signed with it.
    public var os: PEMCertificateAndKey

    public init(
        clusterID: String, clusterSecret: String, bootstrapToken: String, secretboxEncryptionSecret: String?, aescbcEncryptionSecret: String? = nil,
        trustdToken: String, etcd: PEMCertificateAndKey, kubernetes: PEMCertificateAndKey, aggregator: PEMCertificateAndKey, serviceAccountKey: String,
        os: PEMCertificateAndKey
    ) {
        self.clusterID = clusterID
        self.clusterSecret = clusterSecret
        self.bootstrapToken = bootstrapToken
        self.secretboxEncryptionSecret = secretboxEncryptionSecret
        self.aescbcEncryptionSecret = aescbcEncryptionSecret
        self.trustdToken = trustdToken
        self.etcd = etcd
        self.kubernetes = kubernetes
        self.aggregator = aggregator
        self.serviceAccountKey = serviceAccountKey
        self.os = os
    }

    /// Every value that must never be shown, named by its place in the bundle, in each form it
    /// takes (PEM text, and base64 of it as files and configs carry it). Certificates are public;
    /// the cluster id is not a secret either, but it names the cluster to the discovery service,
    /// so it is hidden too.
    public var secretValues: [(name: String, value: String)] {
        var values: [(String, String)] = [
            ("cluster.id", clusterID), ("cluster.secret", clusterSecret), ("secrets.bootstraptoken", bootstrapToken),
            ("trustdinfo.token", trustdToken),
        ]
        if let secretboxEncryptionSecret { values.append(("secrets.secretboxencryptionsecret", secretboxEncryptionSecret)) }
        if let aescbcEncryptionSecret { values.append(("secrets.aescbcencryptionsecret", aescbcEncryptionSecret)) }
        let keys: [(String, String?)] = [
            ("certs.etcd.key", etcd.key), ("certs.k8s.key", kubernetes.key), ("certs.k8saggregator.key", aggregator.key),
            ("certs.k8sserviceaccount.key", serviceAccountKey), ("certs.os.key", os.key),
        ]
        for case (let name, let pem?) in keys {
            values.append((name, Data(pem.utf8).base64EncodedString()))
            values.append((name, pem))
            // A PEM's base64 body lines, should one be shown on its own.
            for line in pem.split(separator: "\n") where !line.hasPrefix("-----") { values.append((name, String(line))) }
        }
        return values
    }
}
