import Foundation
import HomelabCore

/// Renders a node's machine config. In this order, each a strategic-merge patch on the one
/// before (ConfigMerge):
///   1. `talos/<role>.yaml`, the template for the node's role;
///   2. `talos/patches/common.yaml`, then `talos/patches/<role>.yaml`, when they exist;
///   3. the node's own `patches:` from the inventory, in their order;
///   4. the node's values from the inventory (hostname, install disk and image, certSANs, VIP);
///   5. the secrets bundle.
/// Secrets come last so no file can change them; a worker that ends up with a control-plane
/// secret anyway (from a template or patch) is refused.
public struct MachineConfigRenderer: Sendable {
    public var talosDirectory: String
    public var cluster: TalosClusterSpec
    public var bundle: TalosSecretsBundle

    public init(talosDirectory: String, cluster: TalosClusterSpec, bundle: TalosSecretsBundle) {
        self.talosDirectory = talosDirectory
        self.cluster = cluster
        self.bundle = bundle
    }

    public func render(node name: String) throws(TalosFileError) -> RenderedMachineConfig {
        let node = try cluster.node(name)
        let role = node.role.rawValue
        var sources = ["\(role).yaml"]
        for patch in ["common.yaml", "\(role).yaml"] where FileManager.default.fileExists(atPath: path("patches/" + patch)) {
            sources.append("patches/" + patch)
        }
        for patch in node.patches {
            guard !patch.contains(".."), !patch.hasPrefix("/"), FileManager.default.fileExists(atPath: path("patches/" + patch)) else {
                throw TalosFileError(node.location, "patch '\(patch)' of Talos node '\(name)' is not a file in \(path("patches"))")
            }
            sources.append("patches/" + patch)
        }
        var documents = try ConfigDocuments.load(path: path(sources[0]), displayPath: path(sources[0]))
        for source in sources.dropFirst() {
            documents = try ConfigMerge.apply(ConfigDocuments.load(path: path(source), displayPath: path(source)), to: documents)
        }
        documents = try ConfigMerge.apply(MachineConfigValues(cluster: cluster, node: node).patch, to: documents)
        let secrets = ConfigDocuments.node(MachineConfigSecrets.patch(bundle, role: node.role), at: .file("<secrets bundle>"))
        documents = try ConfigMerge.apply([secrets], to: documents)
        if node.role == .worker { try refuseControlPlaneSecrets(documents, node: name) }
        let values = documents.map(Value.init)
        let text = YAMLText.documents(values)
        var redactor = Redactor()
        for (secret, value) in bundle.secretValues { redactor.add(value, name: secret) }
        return RenderedMachineConfig(node: name, documents: values, text: text, masked: redactor.redact(text), sources: sources.map(path))
    }

    private func refuseControlPlaneSecrets(_ documents: [YAMLNode], node: String) throws(TalosFileError) {
        for document in documents {
            for path in MachineConfigSecrets.controlPlaneOnly {
                if let found = TalosYAMLReader(root: document).optionalNode(path) {
                    throw TalosFileError(
                        found.location, "\(path.joined(separator: ".")) would go to worker '\(node)': only control-plane nodes may carry it")
                }
            }
        }
    }

    private func path(_ relative: String) -> String {
        (talosDirectory as NSString).appendingPathComponent(relative)
    }
}
