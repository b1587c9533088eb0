/// Pattern 12: a service that needs another waits for it at start and may reach it.
public struct DependenciesRule: ManifestRule {
    public let name = "dependencies"
    public let category = 12
    public let summary = "a workload that dependsOn another workload has an init container waiting for it and a NetworkPolicy egress rule to it"
    public let kinds: Set<ServiceKind> = [.workload]

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services(for: self) {
            guard let app = tree.app(named: service.name), let spec = service.podSpec else { continue }
            for dependencyNode in app.dependsOn {
                guard let dependencyName = dependencyNode.string, let dependency = tree.service(named: dependencyName), dependency.kind == .workload
                else { continue }
                let target = dependency.serviceObject?.name ?? dependency.name
                let waits = service.initContainers.contains { container in
                    (container["command"]?.strings ?? []).contains { $0.contains(target) }
                        || (container["args"]?.strings ?? []).contains { $0.contains(target) }
                }
                if !waits {
                    findings.error(
                        (spec["initContainers"] ?? spec).location,
                        "'\(service.name)' depends on '\(dependencyName)' but no init container waits for it (its command or args name '\(target)')")
                }
                guard let (_, policy) = service.objects(ofKind: "NetworkPolicy").first, let policySpec = policy.spec else { continue }
                let peers = (policySpec["egress"]?.sequence ?? []).flatMap { $0["to"]?.sequence ?? [] }
                if !peers.contains(where: { $0["podSelector"]?.matchedApp == dependencyName }) {
                    findings.error(
                        (policySpec["egress"] ?? policySpec).location,
                        "'\(service.name)' depends on '\(dependencyName)' but no egress rule allows podSelector.matchLabels.app: \(dependencyName)")
                }
            }
        }
    }
}
