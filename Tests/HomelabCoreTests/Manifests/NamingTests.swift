import HomelabCore
import Testing

/// The naming conventions the rules compare against.
@Suite struct NamingTests {
    @Test(arguments: [
        ("ClusterSecretStore", "cluster-secret-store"), ("TLSOption", "tls-option"), ("ConfigMap", "config-map"),
        ("ServiceAccount", "service-account"), ("CiliumL2AnnouncementPolicy", "cilium-l2-announcement-policy"), ("Middleware", "middleware"),
    ])
    func kindsInKebabCase(_ kind: String, _ expected: String) {
        #expect(Naming.kebab(kind: kind) == expected)
    }

    @Test func kebabCaseNames() {
        for good in ["immich", "arr-sonarr", "k8s-2"] { #expect(Naming.isKebabCase(good), "\(good)") }
        for bad in ["Immich", "arr_sonarr", "-x", "x-", "a--b", ""] { #expect(!Naming.isKebabCase(bad), "\(bad)") }
    }

    @Test func fileAndObjectNamesByKind() {
        #expect(Naming.fileNames(kind: "PersistentVolumeClaim", name: "x-storage") == ["pvc.yaml"])
        #expect(Naming.fileNames(kind: "ClusterIssuer", name: "letsencrypt-prod") == ["cluster-issuer.yaml", "cluster-issuer-letsencrypt-prod.yaml"])
        #expect(Naming.objectName(kind: "ServiceMonitor", service: "immich") == "immich-monitor")
        #expect(Naming.objectName(kind: "HelmRepository", service: "immich") == nil)
    }

    @Test func exactChartVersions() {
        for exact in ["1.19.2", "v1.19.2", "0.1.0-rc.1", "2.0.0+build.5"] { #expect(ChartVersionRule.isExact(exact), "\(exact)") }
        for loose in ["", "1.x", ">=1.0.0", "~1.2.3", "1.2", "*", "^1.2.3", "1.2.3 || 1.2.4"] { #expect(!ChartVersionRule.isExact(loose), "\(loose)") }
    }

    @Test func imageTags() {
        #expect(ImageRule.tag(of: "ghcr.io/immich-app/immich-server:v1.119.0") == "v1.119.0")
        #expect(ImageRule.tag(of: "registry:5000/app") == nil)
        #expect(ImageRule.tag(of: "nginx") == nil)
        #expect(ImageRule.tag(of: "nginx@sha256:abc") == "")
    }

    @Test func secretLookingNames() {
        for name in ["DB_PASSWORD", "apiKey", "API-KEY", "client_secret", "GITHUB_TOKEN", "private_key", "AWS_CREDENTIALS"] {
            #expect(SecretValuesRule.looksSecret(name), "\(name)")
        }
        for name in ["LOG_LEVEL", "DATABASE_HOST", "TZ"] { #expect(!SecretValuesRule.looksSecret(name), "\(name)") }
    }
}
