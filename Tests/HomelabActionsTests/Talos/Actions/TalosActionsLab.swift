import Foundation
import HomelabActions
import HomelabCore
import LabSupport

/// A lab (`lab.py serve` on free ports) whose three Talos VMs have been created and started
/// through the Proxmox actions, so each node listens in maintenance mode: where the Talos actions
/// begin. Files the actions write (bundle, talosconfig, kubeconfig, snapshots) go to `directory`.
final class TalosActionsLab: @unchecked Sendable {
    let lab: ProxmoxClientLab
    let control: LabControl
    let talos = LiveTalosConnector(trust: FingerprintTrust())
    let context = ClientLabContext()
    let directory: String
    let inventory: Value

    init() async throws {
        lab = try await ProxmoxClientLab.start()
        control = try LabControl(url: lab.control)
        directory = try TalosTestFiles.directory()
        inventory = try lab.inventory()
        let proxmox = ProxmoxVM(proxmox: LiveProxmoxConnector(trust: FingerprintTrust()))
        let start = ProxmoxStart(proxmox: LiveProxmoxConnector(trust: FingerprintTrust()))
        for node in nodes {
            _ = try await proxmox.run(proxmoxCall(["vm": node]), context: context)
            _ = try await start.run(proxmoxCall(["vmid": node["vmid"] ?? .null, "settle": .string("0s")]), context: context)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var nodes: [Value] {
        guard case .list(let nodes)? = inventory["talos"]?["nodes"] else { return [] }
        return nodes
    }

    var controlPlane: Value { nodes[0] }

    func path(_ name: String) -> String { directory + "/" + name }

    private func proxmoxCall(_ inputs: [String: Value]) -> ActionCall {
        ActionCall(step: "vm", inputs: ["proxmox": inventory["proxmox"] ?? .null, "token": .string(lab.token)].merging(inputs) { $1 })
    }

    /// A Talos step's inputs: the files in `directory`, the repository's templates.
    func call(_ inputs: [String: Value]) -> ActionCall {
        let common: [String: Value] = [
            "bundle": .string(path("secrets.yaml")), "talosconfig": .string(path("talosconfig")),
            "templates": .string(TalosTestFiles.repositoryPath("talos")), "cluster": inventory["talos"] ?? .null,
            "lan": inventory["network"]?["lan"] ?? .null, "interval": .string("200ms"),
        ]
        return ActionCall(step: "talos", inputs: common.merging(inputs) { $1 })
    }

    /// Secrets, every node's config, etcd bootstrapped on the control plane.
    func bringUp() async throws {
        _ = try await TalosSecrets().run(call(["create": .bool(true), "endpoints": .list([controlPlane])]), context: context)
        for node in nodes {
            _ = try await TalosApplyConfig(talos: talos).run(call(["node": node]), context: context)
        }
        _ = try await TalosBootstrap(talos: talos).run(call(["node": controlPlane]), context: context)
    }
}
