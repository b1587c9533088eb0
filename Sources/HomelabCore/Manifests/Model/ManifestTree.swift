/// kubernetes/ and flux/apps of one repository, as the rules see them.
public struct ManifestTree: Sendable {
    /// The inventory's `network.domain`: services are served at `<service>.<domain>`.
    public var domain: String?
    public var services: [Service] = []
    public var apps: [FluxApp] = []
    /// YAML files directly in kubernetes/base or in a group directory (rule `no-root-resources`).
    public var strayFiles: [String] = []
    /// Directories nested below a service's directory.
    public var nestedDirectories: [String] = []
    /// Other YAML files under kubernetes/ (outside base): only checked for Secrets.
    public var otherFiles: [ManifestFile] = []

    public init(domain: String? = nil) {
        self.domain = domain
    }

    public func service(named name: String) -> Service? { services.first { $0.name == name } }

    public func app(named name: String) -> FluxApp? { apps.first { $0.name == name } }

    /// The services a rule applies to.
    public func services(for rule: any ManifestRule) -> [Service] {
        services.filter { rule.kinds.contains($0.kind) }
    }

    /// Every YAML file: services', apps' and the others.
    public var allFiles: [ManifestFile] { services.flatMap(\.files) + apps.map(\.file) + otherFiles }
}
