import HomelabActions
import HomelabCore
import Testing

struct SSHTargetTests {
    @Test func anAddressAloneGetsTheDefaults() throws {
        let target = try SSHTarget.resolve(ActionCall(step: "s", inputs: ["host": .string("10.0.0.2")]))
        #expect(target == SSHTarget(address: "10.0.0.2", port: 22, user: "root", key: nil, knownHosts: SSHTarget.defaultKnownHosts, hostKeyPolicy: .strict))
    }

    @Test func anInventoryEntrySaysHowTheHostIsReached() throws {
        let entry: Value = .map([
            ("host", .string("pve")),
            ("address", .string("192.168.10.2")),
            (
                "ssh",
                .map([
                    ("user", .string("admin")), ("port", .int(2222)), ("key", .string("/keys/id")),
                    ("known-hosts", .string("/lab/known_hosts")), ("host-key-policy", .string("accept-new")),
                ])
            ),
        ])
        let target = try SSHTarget.resolve(ActionCall(step: "s", inputs: ["host": entry]))
        #expect(
            target == SSHTarget(address: "192.168.10.2", port: 2222, user: "admin", key: "/keys/id", knownHosts: "/lab/known_hosts", hostKeyPolicy: .acceptNew))
    }

    @Test func stepInputsOverrideTheInventory() throws {
        let entry: Value = .map([("address", .string("192.168.10.2")), ("ssh", .map([("user", .string("admin"))]))])
        let target = try SSHTarget.resolve(ActionCall(step: "s", inputs: ["host": entry, "user": .string("root"), "port": .int(22)]))
        #expect(target.user == "root")
        #expect(target.port == 22)
    }

    @Test func aHomeRelativeKeyIsExpanded() throws {
        let target = try SSHTarget.resolve(ActionCall(step: "s", inputs: ["host": .string("h"), "key": .string("~/.ssh/id_ed25519")]))
        #expect(target.key?.hasPrefix("~") == false)
        #expect(target.key?.hasSuffix("/.ssh/id_ed25519") == true)
    }

    @Test(arguments: [
        (Value.map([("ssh", .map([]))]), "no 'address'"),
        (Value.int(3), "must be an address"),
    ])
    func aHostWithoutAnAddressIsRefused(host: Value, expected: String) {
        #expect { try SSHTarget.resolve(ActionCall(step: "s", inputs: ["host": host])) } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func aBadPortOrPolicyIsNamed() {
        #expect { try SSHTarget.resolve(ActionCall(step: "s", inputs: ["host": .string("h"), "port": .int(70000)])) } throws: {
            "\($0)".contains("'port' of h must be a TCP port")
        }
        #expect { try SSHTarget.resolve(ActionCall(step: "s", inputs: ["host": .string("h"), "host-key-policy": .string("yes")])) } throws: {
            "\($0)".contains("strict or accept-new, found 'yes'")
        }
    }

    @Test func displayNeverShowsThePassphrase() throws {
        let target = try SSHTarget.resolve(ActionCall(step: "s", inputs: ["host": .string("h"), "passphrase": .string("hunter2")]))
        #expect(target.passphrase == "hunter2")
        #expect(!target.display.contains("hunter2"))
    }
}
