import Foundation
import HomelabCore
import Testing

/// One mutation of the known-good fixture per rule: it breaks exactly that rule, and validate
/// reports exactly that one diagnostic, at the node that is wrong.
struct RuleMutation: CustomTestStringConvertible, Sendable {
    let rule: String
    /// Changes the fixture.
    let apply: @Sendable (ManifestFixture) throws -> Void
    /// Where the diagnostic must be, in the changed fixture.
    let at: @Sendable (ManifestFixture) throws -> HomelabCore.SourceLocation

    var testDescription: String { rule }

    static let webapp = "kubernetes/base/webapp/"

    static func edit(_ rule: String, _ file: String, _ old: String, _ new: String, at needle: String, columns: Int = 0) -> RuleMutation {
        RuleMutation(rule: rule, apply: { try $0.replace(webapp + file, old, with: new) }, at: { try $0.locate(needle, in: webapp + file, columns: columns) })
    }

    static let all: [RuleMutation] = [
        RuleMutation(
            rule: "service-files", apply: { try $0.remove(webapp + "servicemonitor.yaml") },
            at: { .file($0.path(webapp + "README.md")) }),
        RuleMutation(
            rule: "one-resource-per-file",
            apply: { fixture in
                let text = try fixture.read(webapp + "configmap.yaml")
                try fixture.write(webapp + "configmap.yaml", text + "---\n" + text)
            },
            at: { try $0.locate("---", in: webapp + "configmap.yaml") }),
        RuleMutation(
            rule: "no-root-resources", apply: { try $0.write("kubernetes/base/stray.yaml", "apiVersion: v1\nkind: ConfigMap\n") },
            at: { .file($0.path("kubernetes/base/stray.yaml")) }),
        RuleMutation(
            rule: "kebab-case",
            apply: { fixture in
                try fixture.write("kubernetes/base/Web_Tools/README.md", "## Dependencies\n## Configuration\n## Resources\n")
                try fixture.write("flux/apps/Web_Tools.yaml", ManifestFixture.app("Web_Tools"))
            },
            at: { .file($0.path("kubernetes/base/Web_Tools/README.md")) }),
        RuleMutation(
            rule: "file-name",
            apply: { try FileManager.default.moveItem(atPath: $0.path(webapp + "configmap.yaml"), toPath: $0.path(webapp + "config-map.yaml")) },
            at: { try $0.locate("ConfigMap", in: webapp + "config-map.yaml") }),
        edit("resource-name", "pvc.yaml", "name: webapp-storage", "name: webapp-data", at: "webapp-data"),
        edit("labels", "service.yaml", "managed-by: flux", "managed-by: helm", at: "helm"),
        RuleMutation(
            rule: "no-secret",
            apply: {
                try $0.write(
                    webapp + "secret.yaml",
                    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: webapp-extra\n  labels:\n" + ManifestFixture.labels("webapp") + "\n")
            },
            at: { try $0.locate("Secret", in: webapp + "secret.yaml") }),
        edit("secret-values", "configmap.yaml", "LOG_LEVEL: info", "LOG_LEVEL: info\n  API_TOKEN: abc123", at: "abc123"),
        edit("external-secret", "external-secret.yaml", "key: homelab/webapp", "key: homelab/other", at: "homelab/other"),
        edit("storage", "pvc.yaml", "storageClassName: zfs-storage", "storageClassName: local-path", at: "local-path"),
        edit("network-policy", "network-policy.yaml", "app: traefik", "app: nginx", at: "- from:"),
        edit(
            "host-network", "deployment.yaml", "      initContainers:",
            "      hostNetwork: true\n      dnsPolicy: ClusterFirstWithHostNet\n      initContainers:",
            at: "true"),
        edit("metrics", "servicemonitor.yaml", "path: /metrics", "path: /stats", at: "/stats"),
        edit("ingress", "ingressroute.yaml", "certResolver: letsencrypt", "certResolver: staging", at: "staging"),
        edit(
            "probes", "deployment.yaml", "          readinessProbe:\n            httpGet: {path: /ready, port: http}\n", "",
            at: "- name: webapp", columns: 2),
        edit("config", "deployment.yaml", "name: webapp-config", "name: webapp-settings", at: "webapp-settings"),
        edit("resources", "deployment.yaml", "              cpu: 500m\n", "", at: "requests:\n              cpu: 100m"),
        edit(
            "image", "deployment.yaml", "webapp:2.4.1\n          imagePullPolicy: IfNotPresent", "webapp:2.4.1\n          imagePullPolicy: Always", at: "Always"
        ),
        RuleMutation(
            rule: "chart-version",
            apply: { fixture in
                for (name, text) in ManifestFixture.chart { try fixture.write("kubernetes/base/cert-manager/" + name, text) }
                try fixture.write("flux/apps/cert-manager.yaml", ManifestFixture.app("cert-manager"))
                try fixture.replace("kubernetes/base/cert-manager/helm-release.yaml", "name: jetstack", with: "name: jetstak")
            },
            at: { try $0.locate("jetstak", in: "kubernetes/base/cert-manager/helm-release.yaml") }),
        edit("dependencies", "network-policy.yaml", "app: database", "app: cache", at: "- to:"),
        RuleMutation(
            rule: "flux-kustomization", apply: { try $0.replace("flux/apps/webapp.yaml", "prune: true", with: "prune: false") },
            at: { try $0.locate("false", in: "flux/apps/webapp.yaml") }),
        edit("readme", "README.md", "## Resources", "## Resource usage", at: "# webapp"),
        edit("waiver", "pvc.yaml", "spec:\n", "spec:  # homelab:waive storage\n", at: "# homelab", columns: 0),
    ]
}

@Suite struct ManifestRuleTests {
    @Test func theKnownGoodServicesValidateClean() throws {
        let fixture = try ManifestFixture()
        #expect(fixture.findings() == [])
        let report = fixture.validate()
        #expect(report.serviceCount == 2 && report.appCount == 2)
    }

    @Test(arguments: RuleMutation.all)
    func eachRuleReportsExactlyItsViolation(_ mutation: RuleMutation) throws {
        let fixture = try ManifestFixture()
        try mutation.apply(fixture)
        let expected = fixture.describe(try mutation.at(fixture), mutation.rule)
        let report = fixture.validate()
        #expect(fixture.findings() == [expected], "\(report.diagnostics.sorted.map(\.rendered))")
        for diagnostic in report.diagnostics {
            #expect(diagnostic.message.hasPrefix("[\(mutation.rule)] "))
        }
    }

    @Test func everyRuleOfTheCatalogHasAMutation() {
        #expect(Set(RuleMutation.all.map(\.rule)) == Set(RuleCatalog.names))
        #expect(RuleCatalog.names.count == 24)
    }

    @Test func aBrokenServiceGetsEveryViolationAtOnce() throws {
        let fixture = try ManifestFixture()
        let webapp = RuleMutation.webapp
        try fixture.replace(webapp + "pvc.yaml", "storageClassName: zfs-storage", with: "storageClassName: local-path")
        try fixture.replace(
            webapp + "deployment.yaml", "webapp:2.4.1\n          imagePullPolicy: IfNotPresent", with: "webapp:2.4.1\n          imagePullPolicy: Always")
        try fixture.replace(webapp + "servicemonitor.yaml", "path: /metrics", with: "path: /stats")
        try fixture.replace(webapp + "ingressroute.yaml", "certResolver: letsencrypt", with: "certResolver: staging")
        try fixture.replace(webapp + "configmap.yaml", "LOG_LEVEL: info", with: "LOG_LEVEL: info\n  DB_PASSWORD: hunter2")
        try fixture.replace(webapp + "service.yaml", "managed-by: flux", with: "managed-by: helm")
        try fixture.replace("flux/apps/webapp.yaml", "prune: true", with: "prune: false")
        try fixture.remove(webapp + "network-policy.yaml")
        let rules = fixture.validate().diagnostics.sorted.compactMap(\.rule)
        #expect(Set(rules) == ["storage", "image", "metrics", "ingress", "secret-values", "labels", "flux-kustomization", "service-files"])
        #expect(rules.count == 8)
    }

    @Test func chartAndConfigServicesValidateCleanWithoutTheDeploymentRules() throws {
        var services = ManifestFixture.workloads
        services["cert-manager"] = ManifestFixture.chart
        services["cert-manager-issuers"] = ManifestFixture.config
        let fixture = try ManifestFixture(services: services)
        #expect(fixture.findings() == [])
        let (tree, _) = ManifestLoader(root: fixture.root).load(domain: "lab.home.arpa")
        #expect(tree.service(named: "cert-manager")?.kind == .chart)
        #expect(tree.service(named: "cert-manager-issuers")?.kind == .config)
        #expect(tree.service(named: "webapp")?.kind == .workload)
    }

    @Test func aChartStillGetsTheRulesThatApplyToIt() throws {
        let fixture = try ManifestFixture(services: ["cert-manager": ManifestFixture.chart])
        let release = "kubernetes/base/cert-manager/helm-release.yaml"
        try fixture.replace(release, "version: v1.19.2", with: "version: \">=1.0\"")
        try fixture.replace(release, "managed-by: flux", with: "managed-by: argo")
        #expect(
            fixture.findings().sorted()
                == [
                    fixture.describe(try fixture.locate("argo", in: release), "labels"),
                    fixture.describe(try fixture.locate("\">=1.0\"", in: release), "chart-version"),
                    fixture.describe(try fixture.locate("## Chart", in: "kubernetes/base/cert-manager/README.md"), "readme"),
                ].sorted())
    }

    @Test func servicesInAGroupAreFoundAndTheirFluxPathIncludesTheGroup() throws {
        let fixture = try ManifestFixture(
            services: ["monitoring/database": ManifestFixture.database],
            apps: ["database": ManifestFixture.app("database", directory: "monitoring/database")])
        #expect(fixture.findings() == [])
        try fixture.write("kubernetes/base/monitoring/loose.yaml", "kind: ConfigMap\n")
        try fixture.write("kubernetes/base/monitoring/database/extra/x.yaml", "kind: ConfigMap\n")
        #expect(
            fixture.findings() == [
                "no-root-resources kubernetes/base/monitoring/database/extra:1:1", "no-root-resources kubernetes/base/monitoring/loose.yaml:1:1",
            ])
    }

    @Test func withoutADomainTheIngressRuleSaysSoOnce() throws {
        let fixture = try ManifestFixture()
        try fixture.write("inventory.yaml", "network:\n  lan: 192.168.10.0/24\n")
        let report = fixture.validate()
        #expect(fixture.findings() == [fixture.describe(try fixture.locate("IngressRoute", in: RuleMutation.webapp + "ingressroute.yaml"), "ingress")])
        #expect(report.diagnostics.sorted.first?.message.contains("no network.domain") == true)
    }
}
