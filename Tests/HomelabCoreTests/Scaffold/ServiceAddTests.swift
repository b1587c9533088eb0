import Foundation
import HomelabCore
import Testing

@Suite("Scaffold service add")
struct ServiceAddTests {
    private func refusal(_ request: ServiceRequest, in fixture: ScaffoldRepositoryFixture) -> ScaffoldError? {
        let before = fixture.listing()
        do {
            try ServiceAdd.run(request, in: fixture.repository)
            Issue.record("\(request.name) was not refused")
            return nil
        } catch {
            #expect(fixture.listing() == before, "a refusal wrote nothing")
            return error
        }
    }

    @Test func writesEveryFileUnderTheRoot() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        let files = try ServiceAdd.run(ServiceRequest(name: "wiki", exposed: true, storage: "5Gi"), in: fixture.repository)
        for file in files {
            #expect(try String(contentsOfFile: fixture.root + "/" + file.path, encoding: .utf8) == file.text)
        }
        let route = try #require(files.first { $0.path.hasSuffix("ingressroute.yaml") })
        #expect(route.text.contains("Host(`wiki.\(ScaffoldRepositoryFixture.domain)`)"))
    }

    @Test(arguments: ["Notes", "my_app", "myApp", "-app", "app-", "a--b", "9lives", "", "monitoring", String(repeating: "a", count: 49)])
    func refusesANameThatIsNotAServiceName(_ name: String) throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        let error = try #require(refusal(ServiceRequest(name: name), in: fixture))
        #expect(error.isUsage)
        #expect(
            error == .invalidName(name) || error == .reservedName(name) || error == .nameTooLong(name, limit: ServiceName.maximumLength))
    }

    @Test func refusesAnExistingServiceAnywhere() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        try fixture.write("kubernetes/base/wiki/README.md", "# wiki\n")
        try fixture.write("kubernetes/base/monitoring/grafana/README.md", "# grafana\n")
        try fixture.write("flux/apps/orphan.yaml", "kind: Kustomization\n")
        #expect(refusal(ServiceRequest(name: "wiki"), in: fixture) == .serviceExists(name: "wiki", path: "kubernetes/base/wiki/"))
        #expect(refusal(ServiceRequest(name: "grafana"), in: fixture) == .serviceExists(name: "grafana", path: "kubernetes/base/monitoring/grafana/"))
        #expect(refusal(ServiceRequest(name: "orphan"), in: fixture) == .serviceExists(name: "orphan", path: "flux/apps/orphan.yaml"))
        #expect(try String(contentsOfFile: fixture.root + "/kubernetes/base/wiki/README.md", encoding: .utf8) == "# wiki\n")
    }

    @Test func refusesImagesWithoutATagOrWithLatest() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        #expect(refusal(ServiceRequest(name: "app", image: "nginx"), in: fixture) == .imageWithoutTag("nginx"))
        #expect(refusal(ServiceRequest(name: "app", image: "registry:5000/nginx"), in: fixture) == .imageWithoutTag("registry:5000/nginx"))
        #expect(refusal(ServiceRequest(name: "app", image: "nginx:latest"), in: fixture) == .imageLatest("nginx:latest"))
        if case .invalidImage = refusal(ServiceRequest(name: "app", image: "nginx@sha256:abc"), in: fixture) {} else { Issue.record("short digest accepted") }
        let notHex = "nginx@sha256:" + String(repeating: "z", count: 64)
        if case .invalidImage = refusal(ServiceRequest(name: "app", image: notHex), in: fixture) {} else { Issue.record("non-hex digest accepted") }
        let digest = "nginx@sha256:" + String(repeating: "a", count: 64)
        #expect(throws: Never.self) { try ServiceRequestCheck.check(ServiceRequest(name: "app", image: digest)) }
        #expect(throws: Never.self) { try ServiceRequestCheck.check(ServiceRequest(name: "app", image: "registry:5000/team/app:1.2.3")) }
    }

    @Test func refusesAnUnknownDependencyAndNamesTheKnownOnes() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        try fixture.write("kubernetes/base/postgres/README.md", "# postgres\n")
        try fixture.write("kubernetes/base/monitoring/grafana/README.md", "# grafana\n")
        let error = refusal(ServiceRequest(name: "app", dependsOn: ["postgres", "redis"]), in: fixture)
        #expect(error == .unknownDependency("redis", known: ["grafana", "postgres"]))
        #expect(error?.description.contains("no service kubernetes/base/redis/") == true)
        #expect(refusal(ServiceRequest(name: "app", dependsOn: ["app"]), in: fixture) == .dependsOnItself("app"))
    }

    @Test func refusesBadSizesAndPorts() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        for size in ["big", "10GB", "", "0", "1.2.3Gi", "-5Gi"] {
            #expect(refusal(ServiceRequest(name: "app", storage: size), in: fixture) == .invalidStorageSize(size))
        }
        #expect(refusal(ServiceRequest(name: "app", port: 0), in: fixture) == .invalidPort(option: "--port", value: 0))
        #expect(refusal(ServiceRequest(name: "app", metricsPort: 70000), in: fixture) == .invalidPort(option: "--metrics", value: 70000))
        #expect(refusal(ServiceRequest(name: "app", metricsPort: 8080), in: fixture) == .portClash(8080))
        #expect(throws: Never.self) { try StorageQuantity.check("1.5Ti") }
    }

    @Test func anExposedServiceNeedsTheInventorysDomain() throws {
        let fixture = try ScaffoldRepositoryFixture(inventory: "site: test\n")
        defer { fixture.remove() }
        let error = refusal(ServiceRequest(name: "app", exposed: true), in: fixture)
        #expect(error?.description.contains("it has no network.domain") == true)
        // Not exposed: no domain needed.
        #expect(throws: Never.self) { try ServiceAdd.plan(ServiceRequest(name: "app"), in: fixture.repository) }
    }

    @Test func aDependencysPortComesFromItsService() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        try fixture.write("kubernetes/base/postgres/deployment.yaml", "kind: Deployment\n")
        try fixture.write(
            "kubernetes/base/postgres/service.yaml",
            "kind: Service\nspec:\n  ports:\n    - name: metrics\n      port: 9187\n    - name: db\n      port: 5432\n      targetPort: 5433\n")
        try fixture.write("kubernetes/base/cert-manager-issuers/README.md", "# issuers\n")
        let dependency = try fixture.repository.dependency("postgres")
        #expect(dependency == ServiceDependency(name: "postgres", isWorkload: true, servicePort: 5432, podPort: .int(5433)))
        #expect(try fixture.repository.dependency("cert-manager-issuers") == ServiceDependency(name: "cert-manager-issuers", isWorkload: false))
    }

    @Test func aFailedWriteLeavesNothingBehind() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        // flux/apps is a file: the last write fails after the service's files were written.
        try fixture.write("flux", "not a directory\n")
        let before = fixture.listing()
        #expect(throws: ScaffoldError.self) {
            try ScaffoldWriter.write(ServiceScaffold.files(ServiceRequest(name: "app"), ScaffoldContext(domain: nil)), under: fixture.root)
        }
        #expect(fixture.listing() == before)
    }
}

@Suite("Scaffold platform dependencies")
struct PlatformDependencyTests {
    @Test func theFluxAppWaitsForThePlatformAppsItsObjectsNeed() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        for name in ["cilium", "traefik-crds", "zfs-csi", "external-secrets-stores", "kube-prometheus-stack"] {
            try fixture.write("kubernetes/base/\(name)/helm-release.yaml", "kind: HelmRelease\n")
        }
        try fixture.write("kubernetes/base/postgres/deployment.yaml", "kind: Deployment\n")
        let request = ServiceRequest(name: "app", exposed: true, storage: "1Gi", metricsPort: 9100, secrets: true, dependsOn: ["postgres", "cilium"])
        let files = try ServiceAdd.plan(request, in: fixture.repository)
        let app = try #require(GeneratedManifests(files)["flux/apps/app.yaml"])
        #expect(
            app.at("spec", "dependsOn")?.sequence?.compactMap { $0["name"]?.string } == [
                "traefik-crds", "zfs-csi", "external-secrets-stores", "kube-prometheus-stack", "postgres", "cilium",
            ])
        let plain = try ServiceAdd.plan(ServiceRequest(name: "plain"), in: fixture.repository)
        #expect(GeneratedManifests(plain)["flux/apps/plain.yaml"]?.at("spec", "dependsOn", 0, "name")?.string == "cilium")
    }

    @Test func aMissingPlatformAppIsLeftOut() throws {
        let fixture = try ScaffoldRepositoryFixture()
        defer { fixture.remove() }
        let files = try ServiceAdd.plan(ServiceRequest(name: "app", exposed: true), in: fixture.repository)
        #expect(GeneratedManifests(files)["flux/apps/app.yaml"]?.at("spec", "dependsOn") == nil)
    }
}
