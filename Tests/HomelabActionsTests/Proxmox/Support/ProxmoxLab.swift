import HomelabActions
import HomelabCore

/// Inputs shaped like the real inventory (inventory.yaml) and a runbook's step.
enum ProxmoxLab {
    static let secret = "6f1c2b9e-0d1a-4c3e-9f7a-5b2d8e4a1c07"
    static let token = "root@pam!homelab=\(secret)"

    static let proxmox: Value = .map([
        ("host", .string("pve")),
        ("address", .string("192.168.10.2")),
        ("api", .string("https://192.168.10.2:8006/api2/json")),
        ("fingerprint", .null),
        ("storage", .map([("vm", .string("local-zfs")), ("iso", .string("local")), ("backups", .string("backup-hdd"))])),
    ])

    /// `talos.nodes[0]` of the inventory.
    static let cp1: Value = .map([
        ("name", .string("cp-1")), ("role", .string("controlplane")), ("vmid", .int(201)), ("ip", .string("192.168.10.21")),
        ("memory", .int(8192)), ("cores", .int(4)), ("disk", .string("64G")),
    ])

    /// `gaming[0]` of the inventory, with what a Windows 11 guest also needs.
    static let windows: Value = .map([
        ("name", .string("windows")), ("vmid", .int(301)), ("machine", .string("q35")), ("bios", .string("ovmf")),
        ("gpu", .string("amd-igpu")), ("secure-boot", .bool(true)), ("tpm", .bool(true)), ("ostype", .string("win11")),
        ("cores", .int(8)), ("memory", .int(16384)), ("balloon", .int(0)), ("disk", .string("256G")),
    ])

    static func call(_ inputs: [String: Value], attempt: Int = 1) -> ActionCall {
        var all: [String: Value] = ["proxmox": proxmox, "token": .string(token)]
        all.merge(inputs) { $1 }
        return ActionCall(step: "s", inputs: all, attempt: attempt)
    }

    /// The message of the ActionError `body` throws, and whether it is retryable.
    static func failure(_ body: () async throws -> Void) async -> (message: String, retryable: Bool)? {
        await ActionFailure.of(body)
    }

    /// A config as `create` leaves it: the parameters as the server writes them back.
    static func created(_ spec: VMSpec) -> [String: String] {
        FakeProxmox.written(spec.parameters, vmid: spec.vmid)
    }
}
