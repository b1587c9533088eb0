import Foundation
import HomelabCore

/// The secrets part of a node's config, as a patch: the bundle mapped onto machine-config fields
/// as talosctl maps them. A worker gets the OS and Kubernetes CA certificates without their keys
/// and none of the control plane's secrets.
enum MachineConfigSecrets {
    static func patch(_ bundle: TalosSecretsBundle, role: TalosNodeSpec.Role) -> Value {
        func b64(_ pem: String) -> Value { .string(Data(pem.utf8).base64EncodedString()) }
        func pair(_ value: PEMCertificateAndKey) -> Value {
            .map([("crt", b64(value.crt))] + (value.key.map { [("key", b64($0))] } ?? []))
        }
        let controlPlane = role == .controlplane
        let machine: Value = .map([("token", .string(bundle.trustdToken)), ("ca", controlPlane ? pair(bundle.os) : .map([("crt", b64(bundle.os.crt))]))])
        var cluster: [(String, Value)] = [
            ("id", .string(bundle.clusterID)), ("secret", .string(bundle.clusterSecret)), ("token", .string(bundle.bootstrapToken)),
        ]
        if controlPlane {
            if let secret = bundle.secretboxEncryptionSecret { cluster.append(("secretboxEncryptionSecret", .string(secret))) }
            if let secret = bundle.aescbcEncryptionSecret { cluster.append(("aescbcEncryptionSecret", .string(secret))) }
            cluster += [
                ("ca", pair(bundle.kubernetes)), ("aggregatorCA", pair(bundle.aggregator)), ("serviceAccount", .map([("key", b64(bundle.serviceAccountKey))])),
                ("etcd", .map([("ca", pair(bundle.etcd))])),
            ]
        } else {
            cluster.append(("ca", .map([("crt", b64(bundle.kubernetes.crt))])))
        }
        return .map([("machine", machine), ("cluster", .map(cluster))])
    }

    /// What a worker must never carry, whichever template or patch would give it.
    static let controlPlaneOnly: [[String]] = [
        ["machine", "ca", "key"], ["cluster", "ca", "key"], ["cluster", "aggregatorCA"], ["cluster", "serviceAccount"], ["cluster", "etcd", "ca"],
        ["cluster", "secretboxEncryptionSecret"], ["cluster", "aescbcEncryptionSecret"],
    ]
}
