import Foundation

/// Writes a secrets bundle as talosctl does (`secrets.yaml`: lower-cased keys, PEM base64),
/// with mode 0600 from the moment the file exists.
public enum SecretsBundleWriter {
    public static func text(_ bundle: TalosSecretsBundle) -> String {
        func b64(_ pem: String) -> String { Data(pem.utf8).base64EncodedString() }
        func pair(_ name: String, _ value: PEMCertificateAndKey) -> [String] {
            ["    \(name):", "        crt: \(b64(value.crt))"] + (value.key.map { ["        key: \(b64($0))"] } ?? [])
        }
        var lines = [
            "cluster:", "    id: \(bundle.clusterID)", "    secret: \(bundle.clusterSecret)", "secrets:", "    bootstraptoken: \(bundle.bootstrapToken)",
        ]
        if let secret = bundle.secretboxEncryptionSecret { lines.append("    secretboxencryptionsecret: \(secret)") }
        if let secret = bundle.aescbcEncryptionSecret { lines.append("    aescbcencryptionsecret: \(secret)") }
        lines += ["trustdinfo:", "    token: \(bundle.trustdToken)", "certs:"]
        lines += pair("etcd", bundle.etcd) + pair("k8s", bundle.kubernetes) + pair("k8saggregator", bundle.aggregator)
        lines += ["    k8sserviceaccount:", "        key: \(b64(bundle.serviceAccountKey))"]
        lines += pair("os", bundle.os)
        return lines.joined(separator: "\n") + "\n"
    }

    public static func write(_ bundle: TalosSecretsBundle, to path: String) throws(PrivateFile.Failure) {
        try PrivateFile.write(text(bundle), to: path)
    }
}
