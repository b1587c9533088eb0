/// The lab as data: hosts, nodes, VM specs and endpoints, in one YAML file that runbooks read
/// through `${inventory...}`.
public struct Inventory: Sendable {
    public var file: String
    public var root: YAMLNode

    public init(file: String, root: YAMLNode) {
        self.file = file
        self.root = root
    }

    public static func empty(file: String = "<none>") -> Inventory {
        Inventory(file: file, root: YAMLNode(.mapping([]), at: .file(file)))
    }
}
