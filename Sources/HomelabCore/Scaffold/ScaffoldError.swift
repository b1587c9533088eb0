/// Why `homelab service add` refused; nothing has been written when one is thrown.
public enum ScaffoldError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case reservedName(String)
    case nameTooLong(String, limit: Int)
    case serviceExists(name: String, path: String)
    case imageWithoutTag(String)
    case imageLatest(String)
    case invalidImage(String, reason: String)
    case unknownDependency(String, known: [String])
    case dependsOnItself(String)
    case invalidStorageSize(String)
    case invalidPort(option: String, value: Int)
    case portClash(Int)
    case noDomain(inventory: String, reason: String)
    case writeFailed(path: String, reason: String)

    /// A mistake on the command line (exit status 2) rather than a failure to write.
    public var isUsage: Bool {
        if case .writeFailed = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "service name '\(name)' is not kebab-case: use lowercase letters, digits and single hyphens, starting with a letter (e.g. 'arr-sonarr')"
        case .reservedName(let name):
            return "'\(name)' is a group directory under kubernetes/base/, not a service name; pass --group \(name) with another name"
        case .nameTooLong(let name, let limit):
            return
                "service name '\(name)' is \(name.count) characters; at most \(limit), so that '<name>-network-policy' and its labels stay within Kubernetes' limits"
        case .serviceExists(let name, let path):
            return "service '\(name)' already exists: \(path); homelab never overwrites a service (remove it first, or choose another name)"
        case .imageWithoutTag(let image):
            return "image '\(image)' has no tag: pin a version, e.g. '\(image):1.2.3' (pattern 11)"
        case .imageLatest(let image):
            return "image '\(image)' uses the tag 'latest': pin a version instead (pattern 11)"
        case .invalidImage(let image, let reason):
            return "image '\(image)' is not an image reference: \(reason)"
        case .unknownDependency(let name, let known):
            let list = known.isEmpty ? "there are no services yet" : "known services: \(known.joined(separator: ", "))"
            return "--depends-on '\(name)': no service kubernetes/base/\(name)/; \(list)"
        case .dependsOnItself(let name):
            return "--depends-on '\(name)': a service cannot depend on itself"
        case .invalidStorageSize(let size):
            return "--storage '\(size)' is not a Kubernetes quantity: write a size such as 10Gi or 500Mi"
        case .invalidPort(let option, let value):
            return "\(option) \(value) is not a port: use 1-65535"
        case .portClash(let port):
            return "--metrics \(port) is also the application's --port; give the metrics endpoint a port of its own"
        case .noDomain(let inventory, let reason):
            return "--exposed needs the domain from \(inventory) (network.domain): \(reason)"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason); nothing was left behind"
        }
    }
}
