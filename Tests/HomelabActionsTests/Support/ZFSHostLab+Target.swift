import HomelabActions
import HomelabCore
import LabSupport

extension ZFSHostLab {
    /// How an action logs in to the lab host, as SSHTarget.resolve would build it.
    var target: SSHTarget {
        SSHTarget(address: host, port: port, user: user, key: key, knownHosts: knownHosts, hostKeyPolicy: .strict)
    }

    /// The host as an inventory entry (`address` and an `ssh` mapping), what a step's `host`
    /// input receives from `${inventory.proxmox}`.
    var inventoryEntry: Value {
        .map([
            ("address", .string(host)),
            (
                "ssh",
                .map([
                    ("user", .string(user)), ("port", .int(port)), ("key", .string(key)),
                    ("known-hosts", .string(knownHosts)), ("host-key-policy", .string("strict")),
                ])
            ),
        ])
    }
}
