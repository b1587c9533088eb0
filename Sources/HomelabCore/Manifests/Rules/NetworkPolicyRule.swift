/// Pattern 5: every workload declares who may reach it; exposed ones let Traefik in.
public struct NetworkPolicyRule: ManifestRule {
    public let name = "network-policy"
    public let category = 5
    public let summary = "NetworkPolicy selects app: <service>, has policyTypes Ingress, and lets app: traefik in when the service is exposed"
    public let kinds: Set<ServiceKind> = [.workload]

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services(for: self) {
            for (_, policy) in service.objects(ofKind: "NetworkPolicy") {
                guard let spec = policy.spec else {
                    findings.error(policy.root.location, "the NetworkPolicy has no spec")
                    continue
                }
                let selector = spec["podSelector"]
                if selector?.matchedApp != service.name {
                    findings.error(
                        (selector?["matchLabels"]?["app"] ?? selector ?? spec).location, "podSelector.matchLabels.app must be '\(service.name)'")
                }
                let types = spec["policyTypes"]
                if !(types?.sequence?.contains { $0.string == "Ingress" } ?? false) {
                    findings.error((types ?? spec).location, "policyTypes must include Ingress (deny by default what is not allowed)")
                }
                if service.isExposed {
                    let peers = (spec["ingress"]?.sequence ?? []).flatMap { $0["from"]?.sequence ?? [] }
                    if !peers.contains(where: { $0["podSelector"]?.matchedApp == "traefik" }) {
                        findings.error(
                            (spec["ingress"] ?? spec).location,
                            "the service is exposed, but no ingress rule allows a peer with podSelector.matchLabels.app: traefik")
                    }
                }
            }
        }
    }
}
