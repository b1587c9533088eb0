/// Pattern 9: a service's configuration is its one ConfigMap, kept beside it.
public struct ConfigRule: ManifestRule {
    public let name = "config"
    public let category = 9
    public let summary = "every configMapRef and configMap volume of a Deployment names <service>-config, and that ConfigMap is in the directory"
    public let kinds: Set<ServiceKind> = [.workload]

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services(for: self) {
            guard let spec = service.podSpec else { continue }
            let expected = service.name + "-config"
            let present = service.objects(ofKind: "ConfigMap").contains { $0.object.name == expected }
            let references = spec.values(forKey: "configMapRef") + (spec["volumes"]?.sequence ?? []).compactMap { $0["configMap"] }
            for reference in references {
                let name = reference["name"]
                if name?.string != expected {
                    findings.error(
                        (name ?? reference).location, "the Deployment reads ConfigMap '\(name?.string ?? "(none)")'; a service's configuration is '\(expected)'"
                    )
                } else if !present {
                    findings.error((name ?? reference).location, "ConfigMap '\(expected)' is not in \(service.directory); add configmap.yaml")
                }
            }
        }
    }
}
