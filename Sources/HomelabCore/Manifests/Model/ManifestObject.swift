/// One Kubernetes object of a manifest file: a YAML document whose root is a mapping.
public struct ManifestObject: Sendable {
    public let root: YAMLNode
    /// Where its document starts (its `---` line, or the first key).
    public let start: SourceLocation

    public init(root: YAMLNode, start: SourceLocation) {
        self.root = root
        self.start = start
    }

    public var kind: String? { root["kind"]?.string }
    public var apiVersion: String? { root["apiVersion"]?.string }
    public var metadata: YAMLNode? { root["metadata"] }
    public var name: String? { metadata?["name"]?.string }
    public var spec: YAMLNode? { root["spec"] }

    public func annotation(_ key: String) -> YAMLNode? { metadata?["annotations"]?[key] }

    /// Where a finding about the object's kind goes: the `kind:` value, else the document.
    public var kindLocation: SourceLocation { root["kind"]?.location ?? root.location }

    /// Where a finding about the object's name goes: the `metadata.name` value, else the nearest
    /// enclosing node that exists.
    public var nameLocation: SourceLocation { metadata?["name"]?.location ?? metadata?.location ?? root.location }
}
