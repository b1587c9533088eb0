import Foundation
import HomelabCore
import Testing

/// The other shapes the rules accept or refuse: an Ingress instead of an IngressRoute,
/// Certificates, lists, empty files, stray files in flux/apps.
@Suite struct ManifestEdgeTests {
    let webapp = RuleMutation.webapp

    static let ingress = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: webapp
          labels:
            app: webapp
            managed-by: flux
          annotations:
            cert-manager.io/cluster-issuer: letsencrypt-prod
            external-dns.alpha.kubernetes.io/hostname: webapp.lab.home.arpa
            external-dns.alpha.kubernetes.io/ttl: "300"
        spec:
          ingressClassName: traefik
          tls:
            - hosts: [webapp.lab.home.arpa]
              secretName: webapp-tls
          rules:
            - host: webapp.lab.home.arpa
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service: {name: webapp, port: {name: http}}

        """

    @Test func anIngressWithTheIssuerAnnotationPassesAndItsMistakesAreFound() throws {
        let fixture = try ManifestFixture()
        try fixture.remove(webapp + "ingressroute.yaml")
        try fixture.write(webapp + "ingress.yaml", Self.ingress)
        #expect(fixture.findings() == [])
        try fixture.replace(webapp + "ingress.yaml", "secretName: webapp-tls", with: "secretName: other-tls")
        try fixture.replace(webapp + "ingress.yaml", "ingressClassName: traefik", with: "ingressClassName: nginx")
        #expect(
            fixture.findings() == [
                fixture.describe(try fixture.locate("nginx", in: webapp + "ingress.yaml"), "ingress"),
                fixture.describe(try fixture.locate("other-tls", in: webapp + "ingress.yaml"), "ingress"),
            ])
    }

    @Test func aCertificateIsRefusedInAnyService() throws {
        var services = ManifestFixture.workloads
        services["cert-manager-issuers"] = ManifestFixture.config
        let fixture = try ManifestFixture(services: services)
        let file = "kubernetes/base/cert-manager-issuers/certificate.yaml"
        try fixture.write(
            file,
            "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: wildcard\n  labels:\n" + ManifestFixture.labels("cert-manager-issuers")
                + "\n")
        #expect(fixture.findings() == [fixture.describe(try fixture.locate("Certificate", in: file), "ingress")])
    }

    @Test func aListAnEmptyFileAndAStrayAppAreReported() throws {
        let fixture = try ManifestFixture()
        try fixture.write(webapp + "list.yaml", "apiVersion: v1\nkind: List\nitems: []\n")
        try fixture.write(webapp + "empty.yaml", "# nothing yet\n")
        try fixture.write("flux/apps/ghost.yaml", ManifestFixture.app("ghost"))
        let findings = fixture.findings()
        #expect(findings.contains(fixture.describe(try fixture.locate("List", in: webapp + "list.yaml"), "one-resource-per-file")))
        #expect(findings.contains("one-resource-per-file kubernetes/base/webapp/empty.yaml:1:1"))
        #expect(findings.contains(fixture.describe(try fixture.locate("ghost", in: "flux/apps/ghost.yaml"), "flux-kustomization")))
    }

    @Test func aDependencyOnAMissingAppIsReportedWithASuggestion() throws {
        let fixture = try ManifestFixture()
        try fixture.replace("flux/apps/webapp.yaml", "- name: database", with: "- name: databse")
        let report = fixture.validate()
        #expect(fixture.findings() == [fixture.describe(try fixture.locate("databse", in: "flux/apps/webapp.yaml"), "flux-kustomization")])
        #expect(report.diagnostics.sorted.first?.message.contains("(did you mean 'database'?)") == true)
    }

    @Test func aSecondDocumentAfterALeadingMarkerIsReportedAtItsOwnMarker() throws {
        let fixture = try ManifestFixture()
        let text = try fixture.read(webapp + "configmap.yaml")
        try fixture.write(webapp + "configmap.yaml", "---\n" + text + "---\n" + text)
        #expect(
            fixture.findings() == [
                "one-resource-per-file kubernetes/base/webapp/configmap.yaml:\(text.split(separator: "\n", omittingEmptySubsequences: false).count + 1):1"
            ])
    }
}
