/// Pattern 1: the files a service must have, from what its Deployment and Service say it does.
public struct ServiceFilesRule: ManifestRule {
    public let name = "service-files"
    public let category = 1
    public let summary =
        "each service has the files its kind and features require (deployment, service, network policy, README, ingress, secrets, pvc, monitor)"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services {
            for missing in missingFiles(service) {
                findings.error(service.directoryLocation, "\(service.directory) has no \(missing.file) \(missing.why)")
            }
        }
    }

    private func missingFiles(_ service: Service) -> [(file: String, why: String)] {
        var missing: [(String, String)] = []
        if !service.hasFile("README.md") { missing.append(("README.md", "(every service documents itself)")) }
        guard service.kind == .workload else { return missing }
        for file in ["deployment.yaml", "service.yaml", "network-policy.yaml"] where !service.hasFile(file) {
            missing.append((file, "(every workload has one)"))
        }
        if service.isExposed && !service.hasFile("ingressroute.yaml") && !service.hasFile("ingress.yaml") {
            missing.append(("ingressroute.yaml or ingress.yaml", "(its Service is annotated homelab.paul/exposed: \"true\")"))
        }
        if let deployment = service.deployment?.object, readsSecret(deployment), !service.hasFile("external-secret.yaml") {
            missing.append(("external-secret.yaml", "(its Deployment reads a secret)"))
        }
        if let spec = service.podSpec, !(spec["volumes"]?.values(forKey: "persistentVolumeClaim").isEmpty ?? true),
            !service.hasFile("pvc.yaml")
        {
            missing.append(("pvc.yaml", "(its Deployment mounts a persistentVolumeClaim)"))
        }
        if service.hasMetricsPort && !service.hasFile("servicemonitor.yaml") {
            missing.append(("servicemonitor.yaml", "(its Service has a port named metrics)"))
        }
        return missing
    }

    private func readsSecret(_ deployment: ManifestObject) -> Bool {
        guard let spec = deployment.spec?["template"]?["spec"] else { return false }
        return !spec.values(forKey: "secretKeyRef").isEmpty || !spec.values(forKey: "secretRef").isEmpty
            || !(spec["volumes"]?.values(forKey: "secret").isEmpty ?? true)
    }
}
