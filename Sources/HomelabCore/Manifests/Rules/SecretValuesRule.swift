/// Pattern 3: a secret written as a ConfigMap entry or a literal env value is still a secret in git.
public struct SecretValuesRule: ManifestRule {
    public let name = "secret-values"
    public let category = 3
    public let summary = "no secret-looking ConfigMap key or container env var (password, token, api-key...) with a literal value"

    public init() {}

    static let patterns = ["password", "passwd", "secret", "token", "apikey", "api-key", "api_key", "privatekey", "private-key", "private_key", "credential"]

    public static func looksSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        return patterns.contains { lower.contains($0) }
    }

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services {
            for (_, object) in service.objects(ofKind: "ConfigMap") {
                for pair in object.root["data"]?.mapping ?? [] {
                    guard let key = pair.key.string, Self.looksSecret(key), !(pair.value.string ?? "").isEmpty else { continue }
                    findings.error(
                        pair.value.location, "ConfigMap key '\(key)' looks like a secret; move it to the ExternalSecret and read it with a secretKeyRef")
                }
            }
            for container in service.containers + service.initContainers {
                for variable in container["env"]?.sequence ?? [] {
                    guard let key = variable["name"]?.string, Self.looksSecret(key), let value = variable["value"],
                        !(value.string ?? "").isEmpty
                    else { continue }
                    findings.error(
                        value.location, "env var '\(key)' has a literal value that looks like a secret; use valueFrom.secretKeyRef to \(service.name)-secrets")
                }
            }
        }
    }
}
