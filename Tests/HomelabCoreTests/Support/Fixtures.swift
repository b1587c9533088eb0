import Foundation

@testable import HomelabCore

/// Paths to the fixtures beside the tests, and the registry the fixtures are written against.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String {
        directory.appendingPathComponent(relative).path
    }

    static func files(in folder: String, suffix: String = ".yaml") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path(folder))) ?? []
        return names.filter { $0.hasSuffix(suffix) && !$0.hasSuffix(".inventory.yaml") }.sorted().map { path(folder + "/" + $0) }
    }

    /// Built-in actions plus stand-ins for actions of later issues, so that fixtures can
    /// exercise outputs and destructive actions.
    static let registry: ActionRegistry = {
        var registry = ActionRegistry.builtin
        registry.register(
            StubAction(
                schema: ActionSchema(
                    name: "proxmox.vm", summary: "Ensure a VM exists.",
                    inputs: [
                        InputSpec("node", .string, required: true, "Proxmox node."),
                        InputSpec("vmid", .integer, required: true, "VM id."),
                        InputSpec("name", .string, "VM name."),
                        InputSpec("memory", .integer, default: .int(2048), "Memory in MiB."),
                        InputSpec("bios", .string, allowed: ["seabios", "ovmf"], "Firmware."),
                    ],
                    outputs: [OutputSpec("vmid", "The VM id."), OutputSpec("mac", "MAC address.")],
                    idempotent: true)))
        registry.register(
            StubAction(
                schema: ActionSchema(
                    name: "proxmox.restore", summary: "Restore a VM from vzdump.",
                    inputs: [InputSpec("vmid", .integer, required: true, "VM id."), InputSpec("force", .boolean, "Overwrite an existing VM.")],
                    idempotent: false, destructive: .whenInput("force", reason: "it overwrites an existing VM"))))
        registry.register(
            StubAction(
                schema: ActionSchema(
                    name: "zfs.receive", summary: "Receive a ZFS stream.",
                    inputs: [InputSpec("dataset", .string, required: true, "Target dataset.")],
                    outputs: [OutputSpec("snapshot", "Received snapshot.")],
                    idempotent: false, destructive: .always(reason: "'zfs receive -F' rolls the dataset back"))))
        return registry
    }()
}

/// A schema-only action for fixtures; running it is a test bug.
struct StubAction: Action {
    let schema: ActionSchema

    func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        throw ActionError("\(schema.name) is a test stub and cannot run")
    }
}
