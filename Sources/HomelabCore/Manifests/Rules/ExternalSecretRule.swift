/// Pattern 3: ExternalSecrets all look alike, so a service's secrets are always found in the
/// same place of the store and land in the same Secret.
public struct ExternalSecretRule: ManifestRule {
    public let name = "external-secret"
    public let category = 3
    public let summary =
        "ExternalSecret: target <service>-secrets (creationPolicy Owner), store vault-backend or bitwarden-backend, keys homelab/<service>; the Deployment reads <service>-secrets"

    public init() {}

    static let stores = ["vault-backend", "bitwarden-backend"]
    static let apiVersions = ["external-secrets.io/v1", "external-secrets.io/v1beta1"]

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services {
            let secretName = service.name + "-secrets"
            for (_, object) in service.objects(ofKind: "ExternalSecret") {
                check(object, service: service.name, &findings)
            }
            guard let spec = service.podSpec else { continue }
            for reference in spec.values(forKey: "secretKeyRef") + spec.values(forKey: "secretRef") {
                let name = reference["name"]
                if name?.string != secretName {
                    findings.error(
                        (name ?? reference).location, "the Deployment reads secret '\(name?.string ?? "(no name)")'; a service's secrets are in '\(secretName)'"
                    )
                }
            }
        }
    }

    private func check(_ object: ManifestObject, service: String, _ findings: inout RuleFindings) {
        if let apiVersion = object.root["apiVersion"], !Self.apiVersions.contains(apiVersion.string ?? "") {
            findings.error(apiVersion.location, "apiVersion '\(apiVersion.string ?? "")' is not \(Self.apiVersions.joined(separator: " or "))")
        }
        guard let spec = object.spec else {
            findings.error(object.root.location, "the ExternalSecret has no spec")
            return
        }
        let target = spec["target"]
        expect(target?["name"], equals: service + "-secrets", at: target ?? spec, "spec.target.name", &findings)
        expect(target?["creationPolicy"], equals: "Owner", at: target ?? spec, "spec.target.creationPolicy", &findings)
        let store = spec["secretStoreRef"]?["name"]
        if !Self.stores.contains(store?.string ?? "") {
            findings.error(
                (store ?? spec["secretStoreRef"] ?? spec).location,
                "spec.secretStoreRef.name is '\(store?.string ?? "(none)")'; use \(Self.stores.joined(separator: " or "))")
        }
        for reference in spec.values(forKey: "remoteRef") {
            expect(reference["key"], equals: "homelab/" + service, at: reference, "remoteRef.key", &findings)
        }
    }

    private func expect(_ node: YAMLNode?, equals value: String, at parent: YAMLNode, _ what: String, _ findings: inout RuleFindings) {
        guard node?.string != value else { return }
        if let node {
            findings.error(node.location, "\(what) is '\(node.string ?? "")'; it must be '\(value)'")
        } else {
            findings.error(parent.location, "\(what) is missing; it must be '\(value)'")
        }
    }
}
