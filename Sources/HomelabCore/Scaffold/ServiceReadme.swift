/// README.md (pattern 14): the sections the `readme` rule requires, filled with what was
/// generated, so the README is right on day one and says what to change.
enum ServiceReadme {
    static func text(_ request: ServiceRequest, _ layout: ServiceLayout, _ context: ScaffoldContext) -> String {
        [title(request, layout), dependencies(request, context), configuration(request, context), resources(context), image(request, context)]
            .joined(separator: "\n")
    }

    private static func title(_ request: ServiceRequest, _ layout: ServiceLayout) -> String {
        """
        # \(request.name)

        Scaffolded by `homelab service add`: describe here what \(request.name) does and who uses it.
        Flux applies this directory through `\(layout.fluxApp)`.

        """
    }

    private static func dependencies(_ request: ServiceRequest, _ context: ScaffoldContext) -> String {
        guard !context.dependencies.isEmpty else { return "## Dependencies\n\nNone.\n" }
        let lines = context.dependencies.map { dependency -> String in
            guard dependency.isWorkload else {
                return "- `\(dependency.name)`: Flux applies it first (`dependsOn` in flux/apps/\(request.name).yaml)."
            }
            return "- `\(dependency.name)`: Flux applies it first (`dependsOn`); the init container `\(DependencyWaiter.containerName(dependency.name))` "
                + "holds the pod until `\(dependency.name):\(dependency.servicePort)` answers; network-policy.yaml lets traffic out to its pods. "
                + "Its own network-policy.yaml must admit `app: \(request.name)`."
        }
        return "## Dependencies\n\n" + lines.joined(separator: "\n") + "\n"
    }

    private static func configuration(_ request: ServiceRequest, _ context: ScaffoldContext) -> String {
        let name = request.name
        var lines = [
            "- The container listens on port \(request.port) (`http`); the Service `\(name)` serves it on port \(ServiceManifest.port).",
            "- Probes: liveness `GET \(ServiceProbes.livenessPath)`, readiness `GET \(ServiceProbes.readinessPath)` on `http`, standard timing "
                + "(liveness 30s delay / 10s period, readiness 10s / 5s); change the paths to the application's own.",
        ]
        if request.exposed, let domain = context.domain {
            lines.append(
                "- Exposed at https://\(IngressRouteManifest.host(name, domain: domain)) through Traefik (ingressroute.yaml: websecure, "
                    + "the letsencrypt resolver, TLS options `secure`); external-dns publishes the name.")
        }
        if let size = request.storage {
            lines.append(
                "- Storage: `\(name)-storage`, \(size) on `zfs-storage` (ReadWriteOnce), mounted at \(DeploymentManifest.dataMountPath); "
                    + "the Deployment uses the Recreate strategy so the volume is released before the new pod starts.")
        }
        if request.secrets {
            lines.append(
                "- Secrets: the ExternalSecret `\(name)-secrets` reads Vault's `kv/\(ExternalSecretManifest.remoteKey(name))` through "
                    + "`\(ExternalSecretManifest.store)`; its property `\(ExternalSecretManifest.exampleKey)` is the container's "
                    + "`\(DeploymentManifest.secretEnvironmentName)`. Add the service's real keys to both files.")
        }
        if let metrics = request.metricsPort {
            lines.append("- Metrics: port \(metrics) (`metrics`), path /metrics, scraped every 30s by the ServiceMonitor `\(name)-monitor`.")
        }
        let from = request.exposed ? "Traefik (`app: traefik`)" : "the pods of its namespace"
        lines.append(
            "- Network policy: ingress from \(from)\(request.metricsPort == nil ? "" : " and Prometheus (namespace monitoring, `metrics`)"); "
                + "egress to DNS\(context.dependencies.contains(where: \.isWorkload) ? " and the dependencies" : "") only; add rules for anything else.")
        return "## Configuration\n\n" + lines.joined(separator: "\n") + "\n"
    }

    private static func resources(_ context: ScaffoldContext) -> String {
        let tier = ResourceTier.medium
        var text = """
            ## Resources

            \(tier.name) tier (the default): requests \(tier.requestCPU) CPU / \(tier.requestMemory), limits \(tier.limitCPU) CPU / \(tier.limitMemory).

            """
        if context.dependencies.contains(where: \.isWorkload) {
            let waiter = ResourceTier.waiter
            text += "Init containers: requests \(waiter.requestCPU) / \(waiter.requestMemory), limits \(waiter.limitCPU) / \(waiter.limitMemory).\n"
        }
        return text
    }

    private static func image(_ request: ServiceRequest, _ context: ScaffoldContext) -> String {
        var lines = ["- `\(request.imageReference)`, pulled IfNotPresent."]
        if request.image == nil { lines[0] += " A placeholder (registry.invalid never resolves): set the real image and version here and in deployment.yaml." }
        if context.dependencies.contains(where: \.isWorkload) { lines.append("- `\(DependencyWaiter.image)` (Docker Hub), for the wait-for init containers.") }
        return "## Image\n\n" + lines.joined(separator: "\n") + "\n"
    }
}
