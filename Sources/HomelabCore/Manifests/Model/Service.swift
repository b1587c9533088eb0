/// One directory of kubernetes/base: a service, its YAML files and its README.
public struct Service: Sendable {
    /// The directory's name (pattern 1: the service's name).
    public let name: String
    /// How diagnostics name the directory.
    public let directory: String
    /// Its path from the repository root (`kubernetes/base/monitoring/grafana`): what its Flux
    /// Kustomization's `spec.path` points at.
    public let relativeDirectory: String
    public let files: [ManifestFile]
    public let readme: ReadmeFile?
    /// Files that are neither YAML nor README.md.
    public let otherFiles: [String]
    public let kind: ServiceKind
    /// Every object of every readable file, with the file it is in (computed once: every rule
    /// asks for them).
    public let objects: [(file: ManifestFile, object: ManifestObject)]

    public init(
        name: String, directory: String, relativeDirectory: String, files: [ManifestFile], readme: ReadmeFile?, otherFiles: [String]
    ) {
        self.name = name
        self.directory = directory
        self.relativeDirectory = relativeDirectory
        self.files = files
        self.readme = readme
        self.otherFiles = otherFiles
        self.kind = ServiceKind.of(fileNames: Set(files.map(\.name)))
        self.objects = files.filter { !$0.unreadable }.flatMap { file in file.objects.map { (file, $0) } }
    }

    public func file(_ name: String) -> ManifestFile? { files.first { $0.name == name } }

    public func hasFile(_ name: String) -> Bool { file(name) != nil || (name == "README.md" && readme != nil) }

    public func objects(ofKind kind: String) -> [(file: ManifestFile, object: ManifestObject)] {
        objects.filter { $0.object.kind == kind }
    }

    /// Where findings about the directory as a whole go (missing files): its README.md at 1:1,
    /// so that a README waiver covers them, else the directory itself.
    public var directoryLocation: SourceLocation { .file(readme?.path ?? directory) }

    /// The Deployment and its pod spec, when the service has one.
    public var deployment: (file: ManifestFile, object: ManifestObject)? { objects(ofKind: "Deployment").first }

    public var podSpec: YAMLNode? { deployment?.object.spec?["template"]?["spec"] }

    public var containers: [YAMLNode] { podSpec?["containers"]?.sequence ?? [] }

    public var initContainers: [YAMLNode] { podSpec?["initContainers"]?.sequence ?? [] }

    /// Its Kubernetes Service object.
    public var serviceObject: ManifestObject? { objects(ofKind: "Service").first?.object }

    /// Exposed: its Service says `homelab.paul/exposed: "true"`.
    public var isExposed: Bool { serviceObject?.annotation("homelab.paul/exposed")?.string == "true" }

    /// A Service port named `metrics`.
    public var hasMetricsPort: Bool {
        objects(ofKind: "Service").contains { entry in
            (entry.object.spec?["ports"]?.sequence ?? []).contains { $0["name"]?.string == "metrics" }
        }
    }
}
