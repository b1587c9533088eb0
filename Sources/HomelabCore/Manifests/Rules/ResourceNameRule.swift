/// Pattern 2: object names follow the service's name (`<service>-storage`...), all kebab-case.
public struct ResourceNameRule: ManifestRule {
    public let name = "resource-name"
    public let category = 2
    public let summary =
        "metadata.name is the one the kind requires (<service>, <service>-config, -secrets, -storage, -network-policy, -monitor) and kebab-case"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services {
            for (_, object) in service.objects {
                guard let kind = object.kind else { continue }
                guard let name = object.name else {
                    findings.error(object.nameLocation, "the \(kind) has no metadata.name")
                    continue
                }
                if let expected = Naming.objectName(kind: kind, service: service.name), name != expected {
                    findings.error(object.nameLocation, "the \(kind) of '\(service.name)' is named '\(expected)', not '\(name)'")
                } else if !Naming.isKebabCase(name) {
                    findings.error(object.nameLocation, "'\(name)' is not kebab-case; use lower-case words joined by '-'")
                }
            }
        }
    }
}
