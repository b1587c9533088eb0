/// Pattern 2: every object says which service it belongs to and that Flux manages it, so that
/// selectors, policies and `kubectl get -l app=...` find all of a service.
public struct LabelsRule: ManifestRule {
    public let name = "labels"
    public let category = 2
    public let summary = "every object has labels app: <service> and managed-by: flux; a Deployment's pod template and selector have app: <service>"

    public init() {}

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        for service in tree.services {
            for (_, object) in service.objects {
                checkMetadata(object, service: service.name, &findings)
                if object.kind == "Deployment" { checkDeployment(object, service: service.name, &findings) }
            }
        }
        for app in tree.apps {
            if let object = app.object { checkMetadata(object, service: app.name, &findings) }
        }
    }

    private func checkMetadata(_ object: ManifestObject, service: String, _ findings: inout RuleFindings) {
        let what = object.kind ?? "object"
        let place = object.metadata?["labels"] ?? object.metadata ?? object.root
        for (key, value) in [("app", service), ("managed-by", "flux")] {
            expect(object.metadata?["labels"], key, value, missingAt: place.location, "the \(what)'s metadata.labels", &findings)
        }
    }

    private func checkDeployment(_ object: ManifestObject, service: String, _ findings: inout RuleFindings) {
        guard let spec = object.spec else { return }
        let template = spec["template"]?["metadata"]?["labels"]
        expect(template, "app", service, missingAt: (template ?? spec["template"] ?? spec).location, "the pod template's labels", &findings)
        let selector = spec["selector"]?["matchLabels"]
        expect(selector, "app", service, missingAt: (selector ?? spec["selector"] ?? spec).location, "the selector's matchLabels", &findings)
    }

    private func expect(
        _ labels: YAMLNode?, _ key: String, _ value: String, missingAt location: SourceLocation, _ what: String, _ findings: inout RuleFindings
    ) {
        guard let found = labels?[key] else {
            findings.error(location, "\(what) lack \(key): \(value)")
            return
        }
        if found.string != value {
            findings.error(found.location, "\(what) have \(key): \(found.string ?? "(none)"); it must be \(value)")
        }
    }
}
