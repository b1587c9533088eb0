import Foundation
import HomelabCore
import Testing

/// The test: what `service add` writes passes every manifest rule, for each flag and
/// their combinations, in groups, and with dependencies on services it made itself.
@Suite("Scaffold output validates")
struct ScaffoldValidatesTests {
    static let requests: [ServiceRequest] = [
        ServiceRequest(name: "plain"),
        ServiceRequest(name: "web", exposed: true, image: "ghcr.io/example/web:1.4.2"),
        ServiceRequest(name: "store", storage: "10Gi"),
        ServiceRequest(name: "exporter", metricsPort: 9100, group: .monitoring),
        ServiceRequest(name: "vault-agent", secrets: true, group: .security),
        ServiceRequest(name: "database", storage: "50Gi", secrets: true, port: 5432, image: "docker.io/library/postgres:16.6"),
        ServiceRequest(
            name: "paperless", exposed: true, storage: "20Gi", metricsPort: 9102, secrets: true, port: 8000,
            image: "ghcr.io/paperless-ngx/paperless-ngx:2.13.5", dependsOn: ["database", "store"]),
        ServiceRequest(name: "dashboard", exposed: true, metricsPort: 3001, port: 3000, dependsOn: ["exporter", "web"], group: .monitoring),
    ]

    private func rendered(_ report: ManifestReport) -> String {
        report.diagnostics.sorted.map(\.rendered).joined(separator: "\n")
    }

    @Test func everyGeneratedServiceValidatesClean() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        for request in Self.requests { try ServiceAdd.run(request, in: fixture.repository) }
        let report = ManifestValidator.validate(root: fixture.root, domain: ScaffoldRepositoryFixture.domain)
        #expect(report.diagnostics.isEmpty, "\(rendered(report))")
        #expect(report.serviceCount == Self.requests.count)
        #expect(report.appCount == Self.requests.count)
        #expect(report.waivers.isEmpty)
    }

    @Test(arguments: requests.filter { $0.dependsOn.isEmpty })
    func eachFlagAloneValidatesClean(_ request: ServiceRequest) throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        try ServiceAdd.run(request, in: fixture.repository)
        let report = ManifestValidator.validate(root: fixture.root, domain: ScaffoldRepositoryFixture.domain)
        #expect(report.diagnostics.isEmpty, "\(rendered(report))")
        #expect(report.serviceCount == 1)
    }

    /// Added to (a copy of) the shipped repository, beside the real services and depending on
    /// them, with the platform apps in its Flux app: still clean.
    @Test func aServiceAddedToTheShippedRepositoryValidatesClean() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let fixture = try ScaffoldRepositoryFixture(inventory: nil)
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.root + "/kubernetes")
        for item in ["kubernetes", "flux", "inventory.yaml"] {
            try FileManager.default.copyItem(atPath: repository + "/" + item, toPath: fixture.root + "/" + item)
        }
        let request = ServiceRequest(
            name: "paperless", exposed: true, storage: "20Gi", metricsPort: 9102, secrets: true, port: 8000,
            image: "ghcr.io/paperless-ngx/paperless-ngx:2.13.5", dependsOn: ["nextcloud-postgres", "cert-manager-issuers"])
        let files = try ServiceAdd.run(request, in: fixture.repository)
        let app = try #require(GeneratedManifests(files)["flux/apps/paperless.yaml"])
        let dependsOn = app.at("spec", "dependsOn")?.sequence?.compactMap { $0["name"]?.string } ?? []
        #expect(dependsOn.starts(with: ["cilium", "traefik-crds", "zfs-csi", "external-secrets-stores", "kube-prometheus-stack"]))
        let domain = try fixture.repository.domain()
        let report = ManifestValidator.validate(root: fixture.root, domain: domain)
        #expect(report.diagnostics.isEmpty, "\(rendered(report))")
    }

    /// The validator is not fooled: a generated service with its image moved to :latest fails.
    @Test func aBrokenGeneratedServiceIsCaught() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        let files = try ServiceAdd.run(ServiceRequest(name: "web", image: "ghcr.io/example/web:1.4.2"), in: fixture.repository)
        let deployment = try #require(files.first { $0.path.hasSuffix("deployment.yaml") })
        try fixture.write(deployment.path, deployment.text.replacingOccurrences(of: "web:1.4.2", with: "web:latest"))
        let report = ManifestValidator.validate(root: fixture.root, domain: ScaffoldRepositoryFixture.domain)
        #expect(report.diagnostics.sorted.contains { $0.rule == "image" && $0.location.file.hasSuffix("deployment.yaml") }, "\(rendered(report))")
    }
}
