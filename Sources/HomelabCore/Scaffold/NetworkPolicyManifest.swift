/// network-policy.yaml (pattern 5): ingress from Traefik when exposed (else from the namespace's
/// pods), Prometheus to `metrics`, and egress only to DNS and the dependencies: least privilege,
/// the README says where to add more.
enum NetworkPolicyManifest {
    static func yaml(_ request: ServiceRequest, _ context: ScaffoldContext) -> YAMLText {
        let name = request.name
        let caller: YAMLText = request.exposed ? ManifestMetadata.matchApp("traefik") : .map([YAMLText.Entry]())
        var ingress: [YAMLText] = [rule("from", peers: [.map(["podSelector": caller])], ports: [tcp(.string("http"))])]
        if request.metricsPort != nil {
            ingress.append(rule("from", peers: [namespace("monitoring")], ports: [tcp(.string("metrics"))]))
        }
        var egress: [YAMLText] = [dnsRule]
        for dependency in context.dependencies where dependency.isWorkload {
            egress.append(
                rule("to", peers: [.map(["podSelector": ManifestMetadata.matchApp(dependency.name)])], ports: dependency.podPort.map { [tcp($0)] } ?? []))
        }
        let spec: YAMLText = .map([
            "podSelector": ManifestMetadata.matchApp(name),
            "policyTypes": .strings(["Ingress", "Egress"]),
            "ingress": .list(ingress),
            "egress": .list(egress),
        ])
        return .map(
            ManifestMetadata.header(apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy") + [
                .init("metadata", ManifestMetadata.metadata(name: "\(name)-network-policy", service: name)), .init("spec", spec),
            ])
    }

    private static var dnsRule: YAMLText {
        let peer = YAMLText.map([
            "namespaceSelector": .map(["matchLabels": .map(["kubernetes.io/metadata.name": .string("kube-system")])]),
            "podSelector": .map(["matchLabels": .map(["k8s-app": .string("kube-dns")])]),
        ])
        let ports: [YAMLText] = [.map(["protocol": .string("UDP"), "port": .int(53)]), tcp(.int(53))]
        return rule("to", peers: [peer], ports: ports)
    }

    private static func namespace(_ name: String) -> YAMLText {
        .map(["namespaceSelector": .map(["matchLabels": .map(["kubernetes.io/metadata.name": .string(name)])])])
    }

    private static func rule(_ direction: String, peers: [YAMLText], ports: [YAMLText]) -> YAMLText {
        var entries = [YAMLText.Entry(direction, .list(peers))]
        if !ports.isEmpty { entries.append(.init("ports", .list(ports))) }
        return .map(entries)
    }

    private static func tcp(_ port: YAMLText) -> YAMLText {
        .map(["protocol": .string("TCP"), "port": port])
    }
}
