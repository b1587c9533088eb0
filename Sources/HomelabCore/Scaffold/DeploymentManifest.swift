/// deployment.yaml: one container on the `http` port (and `metrics`), probes, Medium tier,
/// the secret, the volume and one init container per workload dependency.
enum DeploymentManifest {
    static let dataMountPath = "/data"
    /// The one example key of the ExternalSecret, read into the container's environment.
    static let secretEnvironmentName = "APP_SECRET"

    static func yaml(_ request: ServiceRequest, _ context: ScaffoldContext) -> YAMLText {
        let name = request.name
        var podSpec: [YAMLText.Entry] = []
        let waiters = context.dependencies.filter(\.isWorkload).map(DependencyWaiter.container)
        if !waiters.isEmpty { podSpec.append(.init("initContainers", .list(waiters))) }
        podSpec.append(.init("containers", .list([container(request)])))
        if request.storage != nil {
            podSpec.append(
                .init("volumes", .list([.map(["name": .string(volumeName(name)), "persistentVolumeClaim": .map(["claimName": .string("\(name)-storage")])])])))
        }
        var spec: [YAMLText.Entry] = [.init("replicas", .int(1))]
        // A ReadWriteOnce volume cannot be attached to the new pod while the old one holds it.
        if request.storage != nil { spec.append(.init("strategy", .map(["type": .string("Recreate")]))) }
        spec.append(.init("selector", ManifestMetadata.matchApp(name)))
        spec.append(.init("template", .map(["metadata": .map(["labels": ManifestMetadata.labels(name)]), "spec": .map(podSpec)])))
        return .map(
            ManifestMetadata.header(apiVersion: "apps/v1", kind: "Deployment") + [
                .init("metadata", ManifestMetadata.metadata(name: name, service: name)), .init("spec", .map(spec)),
            ])
    }

    static func volumeName(_ service: String) -> String { "\(service)-storage" }

    private static func container(_ request: ServiceRequest) -> YAMLText {
        var ports: [YAMLText] = [port("http", request.port)]
        if let metrics = request.metricsPort { ports.append(port("metrics", metrics)) }
        var entries: [YAMLText.Entry] = [
            .init("name", .string(request.name)), .init("image", .string(request.imageReference)),
            .init("imagePullPolicy", .string("IfNotPresent")), .init("ports", .list(ports)),
        ]
        if request.secrets {
            let reference = YAMLText.map(["name": .string("\(request.name)-secrets"), "key": .string(ExternalSecretManifest.exampleKey)])
            entries.append(
                .init("env", .list([.map(["name": .string(secretEnvironmentName), "valueFrom": .map(["secretKeyRef": reference])])])))
        }
        entries += [
            .init("livenessProbe", ServiceProbes.liveness), .init("readinessProbe", ServiceProbes.readiness),
            .init("resources", ResourceTier.medium.yaml),
        ]
        if request.storage != nil {
            entries.append(.init("volumeMounts", .list([.map(["name": .string(volumeName(request.name)), "mountPath": .string(dataMountPath)])])))
        }
        return .map(entries)
    }

    private static func port(_ name: String, _ number: Int) -> YAMLText {
        .map(["name": .string(name), "containerPort": .int(number), "protocol": .string("TCP")])
    }
}
