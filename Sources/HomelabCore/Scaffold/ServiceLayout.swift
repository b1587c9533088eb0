/// Where a service's files go (contract "Layout"): its directory under kubernetes/base/ (inside
/// its group when it has one) and its Flux app.
public struct ServiceLayout: Sendable, Equatable {
    public var name: String
    public var group: ServiceGroup?

    public init(name: String, group: ServiceGroup?) {
        self.name = name
        self.group = group
    }

    public var directory: String {
        "kubernetes/base/" + (group.map { "\($0.rawValue)/" } ?? "") + name
    }

    public var fluxApp: String { "flux/apps/\(name).yaml" }

    /// Flux's `spec.path`, relative to the repository root with the `./` the rules require.
    public var fluxPath: String { "./" + directory }

    public func file(_ fileName: String) -> String { "\(directory)/\(fileName)" }
}
