/// A YAML file of kubernetes/ or flux/apps, with every document it holds.
public struct ManifestFile: Sendable {
    /// How diagnostics name it (relative to the directory validate runs in).
    public let path: String
    /// Its file name (`deployment.yaml`).
    public let name: String
    public let text: String
    public let documents: [YAMLDocument]
    /// The file did not parse: its syntax errors are reported, the rules skip it.
    public let unreadable: Bool
    /// The documents that are objects (mappings); a stray scalar or list document is not one.
    public let objects: [ManifestObject]

    public init(path: String, name: String, text: String, documents: [YAMLDocument], unreadable: Bool) {
        self.path = path
        self.name = name
        self.text = text
        self.documents = documents
        self.unreadable = unreadable
        self.objects = documents.filter { $0.root.mapping != nil }.map { ManifestObject(root: $0.root, start: $0.start) }
    }

    /// The file's object when it holds exactly the one the layout expects (or its first).
    public var object: ManifestObject? { objects.first }

    /// The file name without `.yaml` / `.yml`.
    public var baseName: String {
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return name
    }
}
