/// ingressroute.yaml (pattern 7): websecure only, `Host(<service>.<domain>)`, the letsencrypt
/// resolver and the `secure` TLS options, and the external-dns annotations.
enum IngressRouteManifest {
    static func host(_ service: String, domain: String) -> String { "\(service).\(domain)" }

    static func yaml(_ request: ServiceRequest, domain: String) -> YAMLText {
        let host = host(request.name, domain: domain)
        let annotations: [YAMLText.Entry] = [
            .init("external-dns.alpha.kubernetes.io/hostname", .string(host)), .init("external-dns.alpha.kubernetes.io/ttl", .string("300")),
        ]
        let route: YAMLText = .map([
            "match": .string("Host(`\(host)`)"),
            "kind": .string("Rule"),
            "services": .list([.map(["name": .string(request.name), "port": .int(ServiceManifest.port)])]),
        ])
        let tls: YAMLText = .map([
            "certResolver": .string("letsencrypt"), "options": .map(["name": .string("secure"), "namespace": .string("traefik-system")]),
        ])
        return .map(
            ManifestMetadata.header(apiVersion: "traefik.io/v1alpha1", kind: "IngressRoute") + [
                .init("metadata", ManifestMetadata.metadata(name: request.name, service: request.name, annotations: annotations)),
                .init("spec", .map(["entryPoints": .strings(["websecure"]), "routes": .list([route]), "tls": tls])),
            ])
    }
}
