import ArgumentParser
import Foundation
import HomelabCore

struct ServiceAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Scaffold a service under kubernetes/base/ and its Flux app, following every manifest pattern.",
        discussion: """
            Writes kubernetes/base/NAME/ (deployment.yaml, service.yaml, network-policy.yaml, README.md, and ingressroute.yaml, pvc.yaml, servicemonitor.yaml, external-secret.yaml as the flags ask) and flux/apps/NAME.yaml, all of which 'homelab validate' accepts. The host of an exposed service is NAME.DOMAIN, DOMAIN being the inventory's network.domain. Each --depends-on service orders the Flux apps and, when it is a workload, gets an init container that waits for it and a NetworkPolicy egress rule. Nothing is ever overwritten: an existing service, a name that is not kebab-case, an image without a tag or with :latest, or an unknown dependency is refused before anything is written (exit 2).

            Examples:
              homelab service add paperless --exposed --storage 20Gi --secrets --image ghcr.io/paperless-ngx/paperless-ngx:2.13.5 --port 8000
              homelab service add exporter --metrics 9100 --group monitoring --image quay.io/prometheus/node-exporter:v1.8.2
              homelab service add worker --depends-on nextcloud immich --dry-run
            """
    )

    @Argument(help: "The service's name, kebab-case (e.g. arr-lidarr).")
    var name: String

    @Flag(help: "Expose it through Traefik at NAME.DOMAIN (IngressRoute, external-dns, letsencrypt).")
    var exposed = false

    @Option(help: ArgumentHelp("Give it a zfs-storage volume of this size, mounted at /data.", valueName: "size"))
    var storage: String?

    @Option(help: ArgumentHelp("The container port that serves /metrics (a ServiceMonitor scrapes it).", valueName: "port"))
    var metrics: Int?

    @Flag(help: "Read secrets from Vault (homelab/NAME) through an ExternalSecret.")
    var secrets = false

    @Option(help: ArgumentHelp("The container port the application serves on.", valueName: "port"))
    var port = 8080

    @Option(help: ArgumentHelp("The image, with a version tag or a digest (default: a placeholder to replace).", valueName: "repo:tag"))
    var image: String?

    @Option(name: .customLong("depends-on"), parsing: .upToNextOption, help: ArgumentHelp("Services it needs running first.", valueName: "service"))
    var dependsOn: [String] = []

    @Option(help: ArgumentHelp("Put it in a group directory: monitoring or security.", valueName: "group"))
    var group: String?

    @Flag(help: "Print the files instead of writing them.")
    var dryRun = false

    @Flag(help: "Print the result as JSON (the files, with their text).")
    var json = false

    @Option(help: ArgumentHelp("The repository to add the service to (default: the one the current directory is in).", valueName: "dir"))
    var root: String?

    @Option(help: ArgumentHelp("The inventory that names the domain (default: inventory.yaml in the repository).", valueName: "file"))
    var inventory: String?

    func validate() throws {
        if let group, ServiceGroup(rawValue: group) == nil {
            throw ValidationError("--group '\(group)' is not a group: use \(ServiceGroup.allCases.map(\.rawValue).joined(separator: " or "))")
        }
    }

    func run() throws {
        let request = ServiceRequest(
            name: name, exposed: exposed, storage: storage, metricsPort: metrics, secrets: secrets, port: port, image: image, dependsOn: dependsOn,
            group: group.flatMap(ServiceGroup.init(rawValue:)))
        // From a subdirectory (kubernetes/, say) the service still goes to the repository's
        // kubernetes/base/, not to a new tree under the current directory.
        let repositoryRoot = root ?? ManifestValidator.repositoryRoot(containing: ".") ?? "."
        let repository = ScaffoldRepository(root: repositoryRoot, inventory: inventory)
        let files: [ScaffoldFile]
        do {
            files = dryRun ? try ServiceAdd.plan(request, in: repository) : try ServiceAdd.run(request, in: repository)
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(error.isUsage ? ExitStatus.usage : ExitStatus.diagnostics)
        }
        if json {
            Terminal.out(JSONWriter.pretty(report(files)) + "\n")
        } else if dryRun {
            Terminal.out(files.map { "# \($0.path)\n\($0.text)" }.joined(separator: "\n"))
            Terminal.err("dry run: nothing written\n")
        } else {
            // Paths are relative to the repository: a found one that is not here is named.
            let prefix = root == nil ? Self.foundRootPrefix(repositoryRoot) : ""
            Terminal.out(files.map { "created \(prefix)\($0.path)\n" }.joined())
            if image == nil {
                Terminal.out("note: the image is a placeholder (\(request.imageReference)): set the real one in deployment.yaml and README.md\n")
            }
        }
    }

    private static func foundRootPrefix(_ root: String) -> String {
        let found = URL(fileURLWithPath: root).standardizedFileURL.path
        return found == URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path ? "" : found + "/"
    }

    private func report(_ files: [ScaffoldFile]) -> Value {
        .map([
            ("service", .string(name)),
            ("written", .bool(!dryRun)),
            ("files", .list(files.map { .map([("path", .string($0.path)), ("text", .string($0.text))]) })),
        ])
    }
}
