import HomelabCore

/// One entry of the inventory's `talos.nodes`: what its machine config takes from it.
public struct TalosNodeSpec: Sendable {
    public enum Role: String, Sendable, CaseIterable {
        case controlplane, worker
    }

    public var name: String
    public var role: Role
    public var ip: String
    public var mac: String?
    /// Overrides `talos.install-disk` for this node.
    public var installDisk: String?
    /// Added to the cluster's `talos.cert-sans` for this node.
    public var certSANs: [String]
    /// Files of `talos/patches/` applied to this node only, after the role's.
    public var patches: [String]
    /// Where the entry is, for errors about it.
    public var location: SourceLocation

    init(_ entry: YAMLNode) throws(TalosFileError) {
        let reader = TalosYAMLReader(root: entry)
        guard entry.mapping != nil else { throw TalosFileError(entry.location, "a Talos node must be a mapping, found \(entry.kindName)") }
        name = try reader.string(["name"])
        let role = try reader.string(["role"])
        guard let known = Role(rawValue: role) else {
            throw TalosFileError(
                try reader.node(["role"]).location, "role of Talos node '\(name)' must be controlplane or worker, found '\(role)'")
        }
        self.role = known
        ip = try reader.string(["ip"])
        mac = try reader.optionalString(["mac"])?.lowercased()
        installDisk = try reader.optionalString(["install-disk"])
        certSANs = try reader.strings(["cert-sans"])
        patches = try reader.strings(["patches"])
        location = entry.location
    }
}
