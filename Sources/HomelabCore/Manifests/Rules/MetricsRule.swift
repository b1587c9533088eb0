/// Pattern 6: Prometheus finds every service's metrics the same way.
public struct MetricsRule: ManifestRule {
    public let name = "metrics"
    public let category = 6
    public let summary = "ServiceMonitor selects app: <service>, scrapes port metrics at /metrics, and the Service has a port named metrics"
    public let kinds: Set<ServiceKind> = [.workload]

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services(for: self) {
            for (_, monitor) in service.objects(ofKind: "ServiceMonitor") {
                guard let spec = monitor.spec else {
                    findings.error(monitor.root.location, "the ServiceMonitor has no spec")
                    continue
                }
                let selector = spec["selector"]
                if selector?.matchedApp != service.name {
                    findings.error((selector?["matchLabels"]?["app"] ?? selector ?? spec).location, "selector.matchLabels.app must be '\(service.name)'")
                }
                let endpoints = spec["endpoints"]?.sequence ?? []
                if endpoints.isEmpty { findings.error((spec["endpoints"] ?? spec).location, "the ServiceMonitor has no endpoints") }
                for endpoint in endpoints {
                    if endpoint["port"]?.string != "metrics" {
                        findings.error((endpoint["port"] ?? endpoint).location, "an endpoint scrapes port 'metrics' (by name)")
                    }
                    if endpoint["path"]?.string != "/metrics" {
                        findings.error((endpoint["path"] ?? endpoint).location, "an endpoint's path is /metrics")
                    }
                }
                if !service.hasMetricsPort {
                    findings.error(monitor.kindLocation, "a ServiceMonitor needs a port named 'metrics' in service.yaml")
                }
            }
        }
    }
}
