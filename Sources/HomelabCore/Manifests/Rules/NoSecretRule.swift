/// Pattern 3: secrets never sit in git; they come from the secret store through an ExternalSecret.
public struct NoSecretRule: ManifestRule {
    public let name = "no-secret"
    public let category = 3
    public let summary = "no object of kind Secret in kubernetes/ or flux/apps (use an ExternalSecret)"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for file in tree.allFiles where !file.unreadable {
            for object in file.objects where object.kind == "Secret" {
                findings.error(object.kindLocation, "a Secret in git; store the values in Vault/Bitwarden and add an ExternalSecret (external-secret.yaml)")
            }
        }
    }
}
