/// What the generator needs from the repository, read beforehand so the generator stays a pure
/// function of the request and this.
public struct ScaffoldContext: Sendable, Equatable {
    /// The inventory's `network.domain`; needed only for an exposed service.
    public var domain: String?
    /// The `--depends-on` services, in the order given.
    public var dependencies: [ServiceDependency]

    public init(domain: String?, dependencies: [ServiceDependency] = []) {
        self.domain = domain
        self.dependencies = dependencies
    }
}
