/// The cluster's platform apps a new service's objects need before Flux can apply them: the CNI
/// that enforces its NetworkPolicy, and the CRDs or controllers behind its IngressRoute, PVC,
/// ExternalSecret and ServiceMonitor. Added to the Flux app's `dependsOn` when the repository has
/// them (as the shipped services do), so a fresh cluster converges in order.
public enum PlatformDependencies {
    public static func names(for request: ServiceRequest) -> [String] {
        var names = ["cilium"]
        if request.exposed { names.append("traefik-crds") }
        if request.storage != nil { names.append("zfs-csi") }
        if request.secrets { names.append("external-secrets-stores") }
        if request.metricsPort != nil { names.append("kube-prometheus-stack") }
        return names
    }
}
