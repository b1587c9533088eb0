/// Pattern 5: a pod on the host's network is an exception that must resolve cluster names and
/// be explained.
public struct HostNetworkRule: ManifestRule {
    public let name = "host-network"
    public let category = 5
    public let summary = "hostNetwork: true needs dnsPolicy: ClusterFirstWithHostNet and a README that mentions hostNetwork"
    public let kinds: Set<ServiceKind> = [.workload]

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services(for: self) {
            guard let spec = service.podSpec, let hostNetwork = spec["hostNetwork"], hostNetwork.string == "true" else { continue }
            let dnsPolicy = spec["dnsPolicy"]
            if dnsPolicy?.string != "ClusterFirstWithHostNet" {
                findings.error(
                    (dnsPolicy ?? hostNetwork).location,
                    "a pod on the host network needs dnsPolicy: ClusterFirstWithHostNet to resolve cluster names")
            }
            if let readme = service.readme, !readme.text.contains("hostNetwork") {
                findings.error(hostNetwork.location, "hostNetwork: true is an exception: say why in README.md (mention hostNetwork)")
            }
        }
    }
}
