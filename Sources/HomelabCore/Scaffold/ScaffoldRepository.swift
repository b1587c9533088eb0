import Foundation

/// What `service add` reads from the repository it adds to: the services already there, their
/// ports, and the inventory's domain. Reads only; `ScaffoldWriter` writes.
public struct ScaffoldRepository: Sendable {
    public var root: String
    public var inventory: String

    public init(root: String, inventory: String? = nil) {
        self.root = root
        self.inventory = inventory ?? (root as NSString).appendingPathComponent("inventory.yaml")
    }

    private func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    private func isDirectory(_ relative: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path(relative), isDirectory: &directory) && directory.boolValue
    }

    /// Where a service of that name already is (in any group, or only as a Flux app): names are
    /// unique across the repository since flux/apps/ is flat.
    public func existing(_ name: String) -> String? {
        let candidates = ["kubernetes/base/\(name)"] + ServiceGroup.allCases.map { "kubernetes/base/\($0.rawValue)/\(name)" }
        if let directory = candidates.first(where: { FileManager.default.fileExists(atPath: path($0)) }) { return directory + "/" }
        let app = "flux/apps/\(name).yaml"
        return FileManager.default.fileExists(atPath: path(app)) ? app : nil
    }

    /// The service directories under kubernetes/base/ (groups' services included), sorted.
    public func services() -> [String] {
        let base = "kubernetes/base"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path(base))) ?? []
        var names: [String] = []
        for entry in entries where isDirectory("\(base)/\(entry)") {
            if ServiceGroup(rawValue: entry) != nil {
                let members = (try? FileManager.default.contentsOfDirectory(atPath: path("\(base)/\(entry)"))) ?? []
                names += members.filter { isDirectory("\(base)/\(entry)/\($0)") }
            } else {
                names.append(entry)
            }
        }
        return names.sorted()
    }

    /// The service `name` depends on, with the port its Service answers on.
    public func dependency(_ name: String) throws(ScaffoldError) -> ServiceDependency {
        let candidates = ["kubernetes/base/\(name)"] + ServiceGroup.allCases.map { "kubernetes/base/\($0.rawValue)/\(name)" }
        guard ServiceName.isKebabCase(name), let directory = candidates.first(where: isDirectory) else {
            throw .unknownDependency(name, known: services())
        }
        guard FileManager.default.fileExists(atPath: path("\(directory)/deployment.yaml")) else { return ServiceDependency(name: name, isWorkload: false) }
        return ServicePorts.read(path("\(directory)/service.yaml")).map {
            ServiceDependency(name: name, isWorkload: true, servicePort: $0.port, podPort: $0.target)
        }
            ?? ServiceDependency(name: name, isWorkload: true)
    }

    /// `network.domain` from the inventory.
    public func domain() throws(ScaffoldError) -> String {
        let (root, diagnostics) = YAMLLoader().load(path: inventory)
        guard let root else {
            throw .noDomain(inventory: inventory, reason: diagnostics.sorted.first?.message ?? "it cannot be read")
        }
        guard let domain = root["network"]?["domain"]?.string, !domain.isEmpty else {
            throw .noDomain(inventory: inventory, reason: "it has no network.domain")
        }
        return domain
    }
}
