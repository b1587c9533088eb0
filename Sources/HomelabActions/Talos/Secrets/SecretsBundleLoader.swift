import Foundation
import HomelabCore

/// Reads a `secrets.yaml` as talosctl writes it (lower-cased keys, PEM values base64-encoded)
/// and checks it as Talos would before using it: every field there, every certificate and key
/// parses, every key belongs to its certificate. Errors carry file:line:column and never a value.
public enum SecretsBundleLoader {
    public static func load(path: String, displayPath: String? = nil) throws(TalosFileError) -> TalosSecretsBundle {
        let (root, diagnostics) = YAMLLoader().load(path: path, displayPath: displayPath)
        return try bundle(TalosYAMLFile.root(root, diagnostics, file: displayPath ?? path, what: "a secrets bundle"))
    }

    public static func load(text: String, file: String) throws(TalosFileError) -> TalosSecretsBundle {
        let (root, diagnostics) = YAMLLoader().load(text: text, file: file)
        return try bundle(TalosYAMLFile.root(root, diagnostics, file: file, what: "a secrets bundle"))
    }

    private static func bundle(_ root: YAMLNode) throws(TalosFileError) -> TalosSecretsBundle {
        let reader = TalosYAMLReader(root: root)
        let secretbox = try reader.optionalString(["secrets", "secretboxencryptionsecret"])
        let aescbc = try reader.optionalString(["secrets", "aescbcencryptionsecret"])
        guard (secretbox == nil) != (aescbc == nil) else {
            throw TalosFileError(
                reader.location(["secrets"]),
                "secrets needs exactly one of secretboxencryptionsecret and aescbcencryptionsecret, found \(secretbox == nil ? "neither" : "both")")
        }
        return TalosSecretsBundle(
            clusterID: try reader.string(["cluster", "id"]),
            clusterSecret: try reader.string(["cluster", "secret"]),
            bootstrapToken: try reader.token(["secrets", "bootstraptoken"]),
            secretboxEncryptionSecret: secretbox,
            aescbcEncryptionSecret: aescbc,
            trustdToken: try reader.token(["trustdinfo", "token"]),
            etcd: try reader.certificateAndKey("etcd"),
            kubernetes: try reader.certificateAndKey("k8s"),
            aggregator: try reader.certificateAndKey("k8saggregator"),
            serviceAccountKey: try reader.serviceAccountKey(),
            os: try reader.certificateAndKey("os")
        )
    }
}

extension TalosYAMLReader {
    fileprivate func token(_ path: [String]) throws(TalosFileError) -> String {
        let value = try string(path)
        guard TalosToken.isToken(value) else {
            throw TalosFileError(try node(path).location, "\(Self.name(path[...])) is not a token of the form [a-z0-9]{6}.[a-z0-9]{16}")
        }
        return value
    }

    fileprivate func certificateAndKey(_ name: String) throws(TalosFileError) -> PEMCertificateAndKey {
        let pair = PEMCertificateAndKey(crt: try pem(["certs", name, "crt"]), key: try pem(["certs", name, "key"]))
        do {
            _ = try pair.check()
        } catch {
            throw TalosFileError(try node(["certs", name]).location, "certs.\(name): \(error.reason)")
        }
        return pair
    }

    fileprivate func serviceAccountKey() throws(TalosFileError) -> String {
        let path = ["certs", "k8sserviceaccount", "key"]
        let key = try pem(path)
        do {
            _ = try TalosPEM.privateKey(key)
        } catch {
            throw TalosFileError(try node(path).location, "certs.k8sserviceaccount.key \(error.reason)")
        }
        return key
    }

    /// A PEM value, base64 in the file.
    func pem(_ path: [String]) throws(TalosFileError) -> String {
        let value = try string(path)
        guard let data = Data(base64Encoded: value), let pem = String(data: data, encoding: .utf8), pem.contains("-----BEGIN ") else {
            throw TalosFileError(try node(path).textLocation, "\(Self.name(path[...])) must be base64-encoded PEM")
        }
        return pem
    }
}
