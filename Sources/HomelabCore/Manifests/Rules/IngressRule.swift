/// Pattern 7: every exposed service is served the same way: HTTPS only, a Let's Encrypt
/// certificate, the `secure` TLS options, and its DNS name published by external-dns.
public struct IngressRule: ManifestRule {
    public let name = "ingress"
    public let category = 7
    public let summary =
        "IngressRoute/Ingress: websecure, Host(<service>.<domain>), letsencrypt, TLS options secure, external-dns annotations; no Certificate objects"
    public let kinds: Set<ServiceKind> = [.workload]

    public init() {}

    static let routeAPIs = ["traefik.io/v1alpha1", "traefik.containo.us/v1alpha1"]
    static let issuers = ["letsencrypt-prod", "letsencrypt-staging"]

    public func check(_ tree: ManifestTree, _ findings: inout RuleFindings) {
        // Certificates come from the resolver or the issuer annotation, whatever the service's kind.
        for service in tree.services {
            for (_, object) in service.objects(ofKind: "Certificate") {
                findings.error(
                    object.kindLocation, "no Certificate in a service: the certificate comes from the letsencrypt resolver or the cluster-issuer annotation")
            }
        }
        var saidNoDomain = false
        for service in tree.services(for: self) {
            for (_, object) in service.objects where ["IngressRoute", "Ingress"].contains(object.kind ?? "") {
                if tree.domain == nil && !saidNoDomain {
                    saidNoDomain = true
                    findings.error(object.kindLocation, "inventory.yaml has no network.domain: the hosts of ingress routes were not checked")
                }
                let host = tree.domain.map { "\(service.name).\($0)" }
                checkDNS(object, host: host, &findings)
                if object.kind == "IngressRoute" {
                    checkRoute(object, host: host, &findings)
                } else {
                    checkIngress(object, service: service.name, host: host, &findings)
                }
            }
        }
    }

    private func checkDNS(_ object: ManifestObject, host: String?, _ findings: inout RuleFindings) {
        let place = (object.metadata?["annotations"] ?? object.metadata ?? object.root).location
        let hostname = object.annotation("external-dns.alpha.kubernetes.io/hostname")
        if hostname == nil {
            findings.error(place, "annotation external-dns.alpha.kubernetes.io/hostname\(host.map { ": " + $0 } ?? "") is missing")
        } else if let host, let hostname, hostname.string != host {
            findings.error(hostname.location, "external-dns.alpha.kubernetes.io/hostname is '\(hostname.string ?? "")'; it must be '\(host)'")
        }
        if object.annotation("external-dns.alpha.kubernetes.io/ttl") == nil {
            findings.error(place, "annotation external-dns.alpha.kubernetes.io/ttl is missing")
        }
    }

    private func checkRoute(_ object: ManifestObject, host: String?, _ findings: inout RuleFindings) {
        if let api = object.root["apiVersion"], !Self.routeAPIs.contains(api.string ?? "") {
            findings.error(api.location, "an IngressRoute's apiVersion is \(Self.routeAPIs.joined(separator: " or "))")
        }
        guard let spec = object.spec else {
            findings.error(object.root.location, "the IngressRoute has no spec")
            return
        }
        let entryPoints = spec["entryPoints"]
        if entryPoints?.sequence?.compactMap(\.string) != ["websecure"] {
            findings.error((entryPoints ?? spec).location, "entryPoints must be exactly [websecure] (HTTPS only)")
        }
        if let host {
            let routes = spec["routes"]
            let matches = (routes?.sequence ?? []).compactMap { $0["match"]?.string }
            if !matches.contains(where: { $0.contains("Host(`\(host)`)") }) {
                findings.error((routes ?? spec).location, "no route matches Host(`\(host)`)")
            }
        }
        let tls = spec["tls"]
        if tls?["certResolver"]?.string != "letsencrypt" {
            findings.error((tls?["certResolver"] ?? tls ?? spec).location, "tls.certResolver must be letsencrypt")
        }
        if tls?["options"]?["name"]?.string != "secure" {
            findings.error((tls?["options"]?["name"] ?? tls ?? spec).location, "tls.options.name must be secure (the TLSOption of traefik)")
        }
    }

    private func checkIngress(_ object: ManifestObject, service: String, host: String?, _ findings: inout RuleFindings) {
        guard let spec = object.spec else {
            findings.error(object.root.location, "the Ingress has no spec")
            return
        }
        let className = spec["ingressClassName"]
        if className?.string != "traefik" {
            findings.error((className ?? spec).location, "ingressClassName must be traefik")
        }
        let issuer = object.annotation("cert-manager.io/cluster-issuer")
        if !Self.issuers.contains(issuer?.string ?? "") {
            findings.error(
                (issuer ?? object.metadata?["annotations"] ?? object.metadata ?? object.root).location,
                "annotation cert-manager.io/cluster-issuer must be \(Self.issuers.joined(separator: " or "))")
        }
        let entries = spec["tls"]?.sequence ?? []
        let matching = entries.first { entry in host.map { h in entry["hosts"]?.sequence?.contains { $0.string == h } ?? false } ?? true }
        guard let entry = matching else {
            findings.error((spec["tls"] ?? spec).location, "tls must list the host\(host.map { " " + $0 } ?? "") with secretName \(service)-tls")
            return
        }
        if entry["secretName"]?.string != service + "-tls" {
            findings.error((entry["secretName"] ?? entry).location, "the tls secretName must be \(service)-tls")
        }
    }
}
