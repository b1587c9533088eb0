/// flux/apps/<service>.yaml (pattern 13): the service's directory, pruned, after its
/// dependencies' apps; `wait` so that an app depending on this one starts after it is healthy.
enum FluxAppManifest {
    static func yaml(_ request: ServiceRequest, _ layout: ServiceLayout, _ context: ScaffoldContext) -> YAMLText {
        var spec: [YAMLText.Entry] = [
            .init("interval", .string("10m")), .init("path", .string(layout.fluxPath)), .init("prune", .bool(true)), .init("wait", .bool(true)),
            .init("timeout", .string("5m")),
            .init("sourceRef", .map(["kind": .string("GitRepository"), "name": .string("flux-system")])),
        ]
        if !context.dependencies.isEmpty {
            spec.append(.init("dependsOn", .list(context.dependencies.map { .map(["name": .string($0.name)]) })))
        }
        return .map(
            ManifestMetadata.header(apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization") + [
                .init("metadata", ManifestMetadata.metadata(name: request.name, service: request.name, namespace: "flux-system")),
                .init("spec", .map(spec)),
            ])
    }
}
