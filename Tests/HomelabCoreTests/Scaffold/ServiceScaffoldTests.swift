import HomelabCore
import Testing

@Suite("Scaffold service files")
struct ServiceScaffoldTests {
    static let domain = "lab.example.org"
    let database = ServiceDependency(name: "postgres", isWorkload: true, servicePort: 5432, podPort: .string("postgres"))
    let issuers = ServiceDependency(name: "cert-manager-issuers", isWorkload: false)

    private func generate(_ request: ServiceRequest, dependencies: [ServiceDependency] = []) -> GeneratedManifests {
        GeneratedManifests(ServiceScaffold.files(request, ScaffoldContext(domain: Self.domain, dependencies: dependencies)))
    }

    /// Kind and object name per file (the contract's table).
    static let expectedObjects: [String: (kind: String, suffix: String)] = [
        "deployment.yaml": ("Deployment", ""), "service.yaml": ("Service", ""), "network-policy.yaml": ("NetworkPolicy", "-network-policy"),
        "ingressroute.yaml": ("IngressRoute", ""), "pvc.yaml": ("PersistentVolumeClaim", "-storage"),
        "servicemonitor.yaml": ("ServiceMonitor", "-monitor"), "external-secret.yaml": ("ExternalSecret", "-secrets"),
    ]

    @Test func aPlainServiceHasTheRequiredFilesOnly() {
        let manifests = generate(ServiceRequest(name: "notes"))
        #expect(
            manifests.paths == [
                "kubernetes/base/notes/deployment.yaml", "kubernetes/base/notes/service.yaml", "kubernetes/base/notes/network-policy.yaml",
                "kubernetes/base/notes/README.md", "flux/apps/notes.yaml",
            ])
    }

    @Test func everyFlagAddsItsFile() {
        let request = ServiceRequest(name: "paperless", exposed: true, storage: "20Gi", metricsPort: 9102, secrets: true, port: 8000)
        let manifests = generate(request, dependencies: [database])
        let directory = "kubernetes/base/paperless/"
        for file in ["deployment.yaml", "service.yaml", "network-policy.yaml", "ingressroute.yaml", "pvc.yaml", "servicemonitor.yaml", "external-secret.yaml"] {
            #expect(manifests.paths.contains(directory + file), "\(file)")
        }
    }

    @Test(arguments: [
        ServiceRequest(name: "notes"),
        ServiceRequest(name: "paperless", exposed: true, storage: "20Gi", metricsPort: 9102, secrets: true, port: 8000),
        ServiceRequest(name: "node-exporter", metricsPort: 9100, group: .monitoring),
        ServiceRequest(name: "vaultwarden", exposed: true, secrets: true, image: "vaultwarden/server:1.32.7", dependsOn: ["postgres"], group: .security),
    ])
    func everyObjectHasItsContractNameAndLabels(_ request: ServiceRequest) throws {
        let dependencies = request.dependsOn.isEmpty ? [] : [database]
        let manifests = generate(request, dependencies: dependencies)
        let name = request.name
        for (path, node) in manifests.documents where path.hasPrefix("kubernetes/") {
            let file = String(path.split(separator: "/").last!)
            let expected = try #require(Self.expectedObjects[file], "\(path)")
            #expect(node["kind"]?.string == expected.kind, "\(path)")
            #expect(node.at("metadata", "name")?.string == name + expected.suffix, "\(path)")
            #expect(node.at("metadata", "namespace")?.string == "default", "\(path)")
            #expect(node.at("metadata", "labels", "app")?.string == name, "\(path)")
            #expect(node.at("metadata", "labels", "managed-by")?.string == "flux", "\(path)")
            #expect(node.mapping?.count == 4 || node.mapping?.count == 3, "one object with apiVersion, kind, metadata, spec: \(path)")
        }
        let app = try #require(manifests["flux/apps/\(name).yaml"])
        #expect(app["apiVersion"]?.string == "kustomize.toolkit.fluxcd.io/v1")
        #expect(app["kind"]?.string == "Kustomization")
        #expect(app.at("metadata", "name")?.string == name)
        #expect(app.at("metadata", "namespace")?.string == "flux-system")
        #expect(app.at("metadata", "labels", "app")?.string == name)
        #expect(app.at("metadata", "labels", "managed-by")?.string == "flux")
        let directory = "kubernetes/base/" + (request.group.map { $0.rawValue + "/" } ?? "") + name
        #expect(app.at("spec", "path")?.string == "./" + directory)
        #expect(app.at("spec", "prune")?.scalar == YAMLNode.Scalar(text: "true"))
        #expect(app.at("spec", "sourceRef", "kind")?.string == "GitRepository")
        #expect(app.at("spec", "sourceRef", "name")?.string == "flux-system")
        #expect(manifests.paths.allSatisfy { $0.hasPrefix(directory + "/") || $0 == "flux/apps/\(name).yaml" })
    }

    @Test func theDeploymentFollowsThePatterns() throws {
        let request = ServiceRequest(
            name: "paperless", storage: "20Gi", metricsPort: 9102, secrets: true, port: 8000, image: "ghcr.io/paperless-ngx/paperless-ngx:2.13.5")
        let manifests = generate(request, dependencies: [database, issuers])
        let deployment = try #require(manifests["kubernetes/base/paperless/deployment.yaml"])
        #expect(deployment["apiVersion"]?.string == "apps/v1")
        #expect(deployment.at("spec", "selector", "matchLabels", "app")?.string == "paperless")
        #expect(deployment.at("spec", "template", "metadata", "labels", "app")?.string == "paperless")
        #expect(deployment.at("spec", "strategy", "type")?.string == "Recreate")
        let pod = try #require(deployment.at("spec", "template", "spec"))
        let container = try #require(pod.at("containers", 0))
        #expect(pod["containers"]?.sequence?.count == 1)
        #expect(container["image"]?.string == "ghcr.io/paperless-ngx/paperless-ngx:2.13.5")
        #expect(container["imagePullPolicy"]?.string == "IfNotPresent")
        #expect(container.at("ports", 0, "name")?.string == "http")
        #expect(container.at("ports", 0, "containerPort")?.string == "8000")
        #expect(container.at("ports", 1, "name")?.string == "metrics")
        #expect(container.at("ports", 1, "containerPort")?.string == "9102")
        // Standard timing (pattern 8).
        #expect(container.at("livenessProbe", "initialDelaySeconds")?.string == "30")
        #expect(container.at("livenessProbe", "periodSeconds")?.string == "10")
        #expect(container.at("readinessProbe", "initialDelaySeconds")?.string == "10")
        #expect(container.at("readinessProbe", "periodSeconds")?.string == "5")
        #expect(container.at("livenessProbe", "httpGet", "port")?.string == "http")
        // Medium tier (pattern 10).
        #expect(container.at("resources", "requests", "cpu")?.string == "250m")
        #expect(container.at("resources", "requests", "memory")?.string == "512Mi")
        #expect(container.at("resources", "limits", "cpu")?.string == "1000m")
        #expect(container.at("resources", "limits", "memory")?.string == "1Gi")
        #expect(container.at("env", 0, "valueFrom", "secretKeyRef", "name")?.string == "paperless-secrets")
        #expect(container.at("volumeMounts", 0, "mountPath")?.string == "/data")
        #expect(pod.at("volumes", 0, "persistentVolumeClaim", "claimName")?.string == "paperless-storage")
        // One waiter for the workload dependency, none for the chart/config one.
        let waiters = try #require(pod["initContainers"]?.sequence)
        #expect(waiters.count == 1)
        #expect(waiters[0]["name"]?.string == "wait-for-postgres")
        #expect(waiters[0]["image"]?.string == "busybox:1.37.0")
        #expect(waiters[0]["imagePullPolicy"]?.string == "IfNotPresent")
        #expect(waiters[0].at("command", 2)?.string?.contains("nc -z -w 2 postgres 5432") == true)
        for key in ["cpu", "memory"] {
            #expect(waiters[0].at("resources", "requests", key) != nil)
            #expect(waiters[0].at("resources", "limits", key) != nil)
        }
        let app = try #require(manifests["flux/apps/paperless.yaml"])
        #expect(app.at("spec", "dependsOn")?.sequence?.compactMap { $0["name"]?.string } == ["postgres", "cert-manager-issuers"])
    }

    @Test func anExposedServiceIsAnnotatedRoutedAndAdmitsTraefik() throws {
        let manifests = generate(ServiceRequest(name: "wiki", exposed: true))
        let service = try #require(manifests["kubernetes/base/wiki/service.yaml"])
        let annotation = try #require(service.at("metadata", "annotations", "homelab.paul/exposed"))
        #expect(annotation.string == "true" && annotation.scalar?.isQuoted == true)
        #expect(service.at("spec", "selector", "app")?.string == "wiki")
        let route = try #require(manifests["kubernetes/base/wiki/ingressroute.yaml"])
        #expect(route["apiVersion"]?.string == "traefik.io/v1alpha1")
        #expect(route.at("spec", "entryPoints")?.sequence?.compactMap(\.string) == ["websecure"])
        #expect(route.at("spec", "routes", 0, "match")?.string == "Host(`wiki.lab.example.org`)")
        #expect(route.at("spec", "routes", 0, "services", 0, "name")?.string == "wiki")
        #expect(route.at("spec", "tls", "certResolver")?.string == "letsencrypt")
        #expect(route.at("spec", "tls", "options", "name")?.string == "secure")
        #expect(route.at("metadata", "annotations", "external-dns.alpha.kubernetes.io/hostname")?.string == "wiki.lab.example.org")
        #expect(route.at("metadata", "annotations", "external-dns.alpha.kubernetes.io/ttl")?.string == "300")
        let policy = try #require(manifests["kubernetes/base/wiki/network-policy.yaml"])
        #expect(policy.at("spec", "podSelector", "matchLabels", "app")?.string == "wiki")
        #expect(policy.at("spec", "policyTypes")?.sequence?.compactMap(\.string) == ["Ingress", "Egress"])
        #expect(policy.at("spec", "ingress", 0, "from", 0, "podSelector", "matchLabels", "app")?.string == "traefik")
    }

    @Test func anUnexposedServiceHasNoRouteNorAnnotation() throws {
        let manifests = generate(ServiceRequest(name: "worker"))
        let service = try #require(manifests["kubernetes/base/worker/service.yaml"])
        #expect(service.at("metadata", "annotations") == nil)
        #expect(!manifests.paths.contains { $0.hasSuffix("ingressroute.yaml") })
    }

    @Test func dependenciesGetEgressToTheirPods() throws {
        let manifests = generate(ServiceRequest(name: "app", dependsOn: ["postgres"]), dependencies: [database, issuers])
        let policy = try #require(manifests["kubernetes/base/app/network-policy.yaml"])
        let egress = try #require(policy.at("spec", "egress")?.sequence)
        let toPostgres = try #require(egress.first { $0.at("to", 0, "podSelector", "matchLabels", "app")?.string == "postgres" })
        #expect(toPostgres.at("ports", 0, "port")?.string == "postgres")
        #expect(!egress.contains { $0.at("to", 0, "podSelector", "matchLabels", "app")?.string == "cert-manager-issuers" })
        // DNS, or the waiter could not resolve the Service's name.
        #expect(egress.contains { $0.at("to", 0, "podSelector", "matchLabels", "k8s-app")?.string == "kube-dns" })
    }

    @Test func metricsGetAServicePortAndAMonitor() throws {
        let manifests = generate(ServiceRequest(name: "exporter", metricsPort: 9100, group: .monitoring))
        let service = try #require(manifests["kubernetes/base/monitoring/exporter/service.yaml"])
        let metrics = try #require(service.at("spec", "ports")?.sequence?.first { $0["name"]?.string == "metrics" })
        #expect(metrics["port"]?.string == "9100")
        let monitor = try #require(manifests["kubernetes/base/monitoring/exporter/servicemonitor.yaml"])
        #expect(monitor.at("spec", "selector", "matchLabels", "app")?.string == "exporter")
        #expect(monitor.at("spec", "endpoints", 0, "port")?.string == "metrics")
        #expect(monitor.at("spec", "endpoints", 0, "path")?.string == "/metrics")
    }

    @Test func storageAndSecretsFollowTheirPatterns() throws {
        let manifests = generate(ServiceRequest(name: "photos", storage: "100Gi", secrets: true))
        let claim = try #require(manifests["kubernetes/base/photos/pvc.yaml"])
        #expect(claim.at("spec", "storageClassName")?.string == "zfs-storage")
        #expect(claim.at("spec", "accessModes")?.sequence?.compactMap(\.string) == ["ReadWriteOnce"])
        #expect(claim.at("spec", "resources", "requests", "storage")?.string == "100Gi")
        let secret = try #require(manifests["kubernetes/base/photos/external-secret.yaml"])
        #expect(secret.at("spec", "target", "name")?.string == "photos-secrets")
        #expect(secret.at("spec", "target", "creationPolicy")?.string == "Owner")
        #expect(secret.at("spec", "secretStoreRef", "name")?.string == "vault-backend")
        #expect(secret.at("spec", "data", 0, "remoteRef", "key")?.string == "homelab/photos")
    }

    @Test func theReadmeHasTheSectionsAndNamesEveryImage() throws {
        let manifests = generate(ServiceRequest(name: "app", exposed: true, image: "ghcr.io/example/app:v1.2.3"), dependencies: [database])
        let readme = try #require(manifests.text("kubernetes/base/app/README.md"))
        for heading in ["## Dependencies", "## Configuration", "## Resources", "## Image"] {
            #expect(readme.contains("\n\(heading)\n"), "\(heading)")
        }
        #expect(readme.contains("`ghcr.io/example/app:v1.2.3`"))
        #expect(readme.contains("`busybox:1.37.0`"))
        #expect(readme.contains("https://app.lab.example.org"))
        #expect(readme.contains("Medium tier"))
    }

    @Test func theOutputIsTheSameOnEveryRun() {
        let request = ServiceRequest(name: "paperless", exposed: true, storage: "20Gi", metricsPort: 9102, secrets: true)
        let context = ScaffoldContext(domain: Self.domain, dependencies: [database])
        #expect(ServiceScaffold.files(request, context) == ServiceScaffold.files(request, context))
    }
}
