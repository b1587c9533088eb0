/// One file of flux/apps: the Flux Kustomization that deploys a service (pattern 13).
public struct FluxApp: Sendable {
    /// The service it names: the file's name without `.yaml`.
    public let name: String
    public let file: ManifestFile

    public init(name: String, file: ManifestFile) {
        self.name = name
        self.file = file
    }

    public var object: ManifestObject? { file.unreadable ? nil : file.object }

    /// The `spec.dependsOn[].name` values, with their nodes for locations.
    public var dependsOn: [YAMLNode] {
        (object?.spec?["dependsOn"]?.sequence ?? []).compactMap { $0["name"] }
    }
}
