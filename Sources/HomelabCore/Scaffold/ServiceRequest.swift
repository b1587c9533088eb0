/// What `homelab service add` was asked for, before anything is checked against the repository.
public struct ServiceRequest: Sendable, Equatable {
    public var name: String
    /// Reachable from outside through Traefik: an IngressRoute and the `homelab.paul/exposed`
    /// annotation on the Service.
    public var exposed: Bool
    /// A PersistentVolumeClaim of this size (a Kubernetes quantity, `10Gi`).
    public var storage: String?
    /// The container port Prometheus scrapes, named `metrics`.
    public var metricsPort: Int?
    public var secrets: Bool
    /// The container port the application serves on, named `http`.
    public var port: Int
    /// `repo/name:tag` or `repo/name@sha256:...`; nil takes `ServiceRequest.placeholderImage`.
    public var image: String?
    public var dependsOn: [String]
    public var group: ServiceGroup?

    public init(
        name: String, exposed: Bool = false, storage: String? = nil, metricsPort: Int? = nil, secrets: Bool = false, port: Int = 8080,
        image: String? = nil, dependsOn: [String] = [], group: ServiceGroup? = nil
    ) {
        self.name = name
        self.exposed = exposed
        self.storage = storage
        self.metricsPort = metricsPort
        self.secrets = secrets
        self.port = port
        self.image = image
        self.dependsOn = dependsOn
        self.group = group
    }

    /// A pinned image under the reserved `.invalid` domain: it can never be pulled by mistake,
    /// and the README says to replace it.
    public static func placeholderImage(for name: String) -> String {
        "registry.invalid/\(name):0.1.0"
    }

    public var imageReference: String { image ?? Self.placeholderImage(for: name) }
}

/// The two directories under kubernetes/base/ that hold services rather than being one
/// (architecture section 4).
public enum ServiceGroup: String, Sendable, CaseIterable {
    case monitoring
    case security
}
