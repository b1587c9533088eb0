/// external-secret.yaml (pattern 3): `<service>-secrets` from Vault's `homelab/<service>`
/// through the cluster-wide `vault-backend` store, `creationPolicy: Owner` so the Secret outlives
/// a Vault outage once it exists.
enum ExternalSecretManifest {
    /// One example key; the README says how to add the service's real ones.
    static let exampleKey = "app-secret"
    static let store = "vault-backend"

    static func remoteKey(_ service: String) -> String { "homelab/\(service)" }

    static func yaml(_ request: ServiceRequest) -> YAMLText {
        let name = request.name
        let entry: YAMLText = .map([
            "secretKey": .string(exampleKey), "remoteRef": .map(["key": .string(remoteKey(name)), "property": .string(exampleKey)]),
        ])
        let spec: YAMLText = .map([
            "refreshInterval": .string("1h"),
            "secretStoreRef": .map(["name": .string(store), "kind": .string("ClusterSecretStore")]),
            "target": .map(["name": .string("\(name)-secrets"), "creationPolicy": .string("Owner")]),
            "data": .list([entry]),
        ])
        return .map(
            ManifestMetadata.header(apiVersion: "external-secrets.io/v1", kind: "ExternalSecret") + [
                .init("metadata", ManifestMetadata.metadata(name: "\(name)-secrets", service: name)), .init("spec", spec),
            ])
    }
}
