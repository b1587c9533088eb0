/// Pattern 8: Kubernetes restarts a hung container and routes only to a ready one.
public struct ProbesRule: ManifestRule {
    public let name = "probes"
    public let category = 8
    public let summary = "every container of a Deployment (not init containers) has livenessProbe and readinessProbe"
    public let kinds: Set<ServiceKind> = [.workload]

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services(for: self) {
            for container in service.containers {
                let name = container["name"]?.string ?? "(unnamed)"
                for probe in ["livenessProbe", "readinessProbe"] where container[probe] == nil {
                    findings.error(container.location, "container '\(name)' has no \(probe)")
                }
            }
        }
    }
}
