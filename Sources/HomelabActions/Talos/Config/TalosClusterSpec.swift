import Foundation
import HomelabCore

/// The inventory's `talos:` section, read for rendering machine configs, with every mistake
/// located in the inventory.
public struct TalosClusterSpec: Sendable {
    public var version: String
    public var clusterName: String
    /// The Kubernetes API endpoint, `https://HOST:PORT`.
    public var endpoint: String
    public var endpointHost: String
    /// The Image Factory schematic the boot ISO was built from (the qemu-guest-agent extension);
    /// the installer image is `installer/schematic:version`.
    public var schematic: String
    public var installer: String
    public var installDisk: String?
    /// The shared control-plane address a control-plane node holds (Talos VIP), if any.
    public var vip: String?
    public var certSANs: [String]
    /// The LAN, where kubelet and etcd pick their addresses (not the VIP).
    public var lan: String?
    public var nodes: [TalosNodeSpec]
    let section: YAMLNode

    public init(inventory: Inventory) throws(TalosFileError) {
        let reader = TalosYAMLReader(root: inventory.root)
        section = try reader.node(["talos"])
        let talos = TalosYAMLReader(root: section)
        func value(_ key: String) throws(TalosFileError) -> String {
            do { return try talos.string([key]) } catch { throw TalosFileError(error.location, "talos." + error.message) }
        }
        version = try value("version")
        clusterName = try value("cluster")
        endpoint = try value("endpoint")
        guard let url = URLComponents(string: endpoint), url.scheme == "https", let host = url.host, !host.isEmpty, url.port != nil else {
            throw TalosFileError(
                try talos.node(["endpoint"]).textLocation, "talos.endpoint must be an https URL with a port, such as https://192.168.10.20:6443")
        }
        endpointHost = host
        schematic = try value("schematic")
        installer = try talos.optionalString(["installer"]) ?? "factory.talos.dev/installer"
        installDisk = try talos.optionalString(["install-disk"])
        vip = try talos.optionalString(["vip"])
        certSANs = try talos.strings(["cert-sans"])
        lan = try reader.optionalString(["network", "lan"])
        let entries = try talos.node(["nodes"])
        guard let items = entries.sequence else { throw TalosFileError(entries.location, "talos.nodes must be a list, found \(entries.kindName)") }
        nodes = try items.map { (item) throws(TalosFileError) in try TalosNodeSpec(item) }
    }

    /// Reads the inventory file's `talos:` section.
    public static func load(inventoryPath path: String) throws(TalosFileError) -> TalosClusterSpec {
        let (root, diagnostics) = YAMLLoader().load(path: path)
        return try TalosClusterSpec(inventory: Inventory(file: path, root: TalosYAMLFile.root(root, diagnostics, file: path, what: "an inventory")))
    }

    /// The node called `name`; an unknown name is told with the names there are.
    public func node(_ name: String) throws(TalosFileError) -> TalosNodeSpec {
        if let node = nodes.first(where: { $0.name == name }) { return node }
        let known = nodes.map(\.name).joined(separator: ", ")
        throw TalosFileError(section["nodes"]?.location ?? section.location, "no Talos node '\(name)' in the inventory; its nodes are \(known)")
    }

    public var installerImage: String { "\(installer)/\(schematic):\(version)" }

    /// HostnameConfig documents replace `machine.network.hostname` from Talos 1.12 on.
    var hasHostnameDocuments: Bool {
        let parts = version.drop { $0 == "v" }.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return true }
        return (parts[0], parts[1]) >= (1, 12)
    }
}
