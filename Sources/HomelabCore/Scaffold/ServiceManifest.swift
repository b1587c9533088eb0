/// service.yaml: port 80 to the container's `http` port, the `metrics` port under its own
/// number, and the `homelab.paul/exposed` annotation the rules read exposure from.
enum ServiceManifest {
    static let exposedAnnotation = "homelab.paul/exposed"
    static let port = 80

    static func yaml(_ request: ServiceRequest) -> YAMLText {
        let annotations: [YAMLText.Entry] = request.exposed ? [.init(exposedAnnotation, .string("true"))] : []
        var ports: [YAMLText] = [servicePort("http", port)]
        if let metrics = request.metricsPort { ports.append(servicePort("metrics", metrics)) }
        return .map(
            ManifestMetadata.header(apiVersion: "v1", kind: "Service") + [
                .init("metadata", ManifestMetadata.metadata(name: request.name, service: request.name, annotations: annotations)),
                .init("spec", .map(["selector": .map(["app": .string(request.name)]), "ports": .list(ports)])),
            ])
    }

    private static func servicePort(_ name: String, _ number: Int) -> YAMLText {
        .map(["name": .string(name), "port": .int(number), "targetPort": .string(name), "protocol": .string("TCP")])
    }
}
