/// Pattern 13: Flux deploys every service from its own Kustomization, pruning what was removed.
public struct FluxKustomizationRule: ManifestRule {
    public let name = "flux-kustomization"
    public let category = 13
    public let summary =
        "each service has flux/apps/<service>.yaml: Kustomization <service> in flux-system, path ./<its directory>, prune: true, sourceRef GitRepository flux-system; dependsOn existing apps"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services where tree.app(named: service.name) == nil {
            findings.error(service.directoryLocation, "\(service.directory) has no Flux Kustomization: add flux/apps/\(service.name).yaml")
        }
        let appNames = tree.apps.map(\.name)
        for app in tree.apps {
            guard let object = app.object else { continue }
            let service = tree.service(named: app.name)
            if service == nil {
                findings.error(
                    object.nameLocation,
                    "flux/apps/\(app.file.name) names no service in kubernetes/base\(Suggestion.hint(for: app.name, in: tree.services.map(\.name)))")
            }
            expect(object.root["apiVersion"], "kustomize.toolkit.fluxcd.io/v1", "apiVersion", at: object.root, &findings)
            expect(object.root["kind"], "Kustomization", "kind", at: object.root, &findings)
            let metadata = object.metadata ?? object.root
            expect(object.metadata?["name"], app.name, "metadata.name", at: metadata, &findings)
            expect(object.metadata?["namespace"], "flux-system", "metadata.namespace", at: metadata, &findings)
            guard let spec = object.spec else {
                findings.error(object.root.location, "the Kustomization has no spec")
                continue
            }
            if let service {
                let path = spec["path"]
                let expected = "./" + service.relativeDirectory
                if path?.string != expected && path?.string != expected + "/" {
                    findings.error((path ?? spec).location, "spec.path is '\(path?.string ?? "(none)")'; it must be '\(expected)'")
                }
            }
            expect(spec["prune"], "true", "spec.prune", at: spec, &findings)
            let source = spec["sourceRef"]
            expect(source?["kind"], "GitRepository", "spec.sourceRef.kind", at: source ?? spec, &findings)
            expect(source?["name"], "flux-system", "spec.sourceRef.name", at: source ?? spec, &findings)
            for dependency in app.dependsOn {
                guard let name = dependency.string, !appNames.contains(name) else { continue }
                findings.error(dependency.location, "dependsOn '\(name)': there is no flux/apps/\(name).yaml\(Suggestion.hint(for: name, in: appNames))")
            }
        }
    }

    private func expect(_ node: YAMLNode?, _ value: String, _ what: String, at parent: YAMLNode, _ findings: inout RuleFindings) {
        guard node?.string != value else { return }
        if let node {
            findings.error(node.location, "\(what) is '\(node.string ?? "")'; it must be '\(value)'")
        } else {
            findings.error(parent.location, "\(what) is missing; it must be '\(value)'")
        }
    }
}
