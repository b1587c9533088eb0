import Foundation
import HomelabCore
import LabSupport
import Testing

@testable import HomelabActions

/// ansible/playbooks/zfs-setup.yml with the real ansible-playbook against the lab's ZFS host
/// (zfs-fuse and sshd in a private namespace): the pools from homelab's inventory, the datasets
/// and properties from a storage/ folder, through the generated inventory.
struct ZFSSetupPlaybookLabTests {
    /// zfs-fuse (pool version 23) has no lz4 and no recordsize above 128K, so the lab's storage/
    /// asks for what it can do.
    static let datasets = """
        datasets:
          - name: tank/apps
            properties:
              compression: "on"
              atime: "off"
          - name: tank/apps/nextcloud
            properties:
              recordsize: 64K
            tags: [standard]
          - name: tank/media
            properties:
              compression: gzip
            tags: [standard]

        """

    static let policy = """
        snapshots:
          prefix: homelab-
        tags:
          standard:
            local: {keep: 3, max-age: 1d}

        """

    static func call(_ lab: ZFSHostLab, storage: String) -> ActionCall {
        let pools: Value = .list(
            lab.pools.sorted { $0.key > $1.key }.map { name, files in
                .map([("name", .string(name)), ("vdevs", .list((name == "tank" ? [.string("mirror")] : []) + files.map(Value.string)))])
            })
        return ActionCall(
            step: "zfs-setup",
            inputs: [
                "playbook": .string(AnsibleLab.playbook("zfs-setup.yml")), "inventory": AnsibleLab.inventory(lab.fixture, pools: pools),
                "storage": .string(storage),
            ])
    }

    @Test func appliedTwiceItChangesThenReportsNothingChanged() async throws {
        let lab = try await ZFSHostLab.start()
        defer { Task { await lab.stop() } }
        let storage = try AnsiblePlaybookLabTests.folder()
        defer { try? FileManager.default.removeItem(atPath: storage) }
        try Self.datasets.write(toFile: storage + "/datasets.yaml", atomically: true, encoding: .utf8)
        try Self.policy.write(toFile: storage + "/policy.yaml", atomically: true, encoding: .utf8)
        let spool = SpoolDirectory.temporary()
        defer { spool.remove() }
        let context = ProgramContext(SpawnedProcess(spool: spool))
        let call = Self.call(lab, storage: storage)
        let action = AnsiblePlaybook()

        let probe = try await action.probe(call, context: context)
        guard case .wouldChange(let plan) = probe else {
            Issue.record("the probe must see the missing datasets: \(probe)")
            return
        }
        #expect(plan.contains("'Create missing datasets' on pve"), "\(plan)")
        #expect(try await Self.value(lab, "zfs list -H -o name -t filesystem").split(separator: "\n") == ["backup", "tank"], "--check created something")

        let first = try await action.run(call, context: context)
        #expect(first["hosts"]?["pve"]?["failed"] == .int(0))
        let changed = first["changed-tasks"].map { "\($0)" } ?? ""
        #expect(changed.contains("Create missing datasets") && changed.contains("Set dataset properties"), "\(changed)")
        #expect(try await Self.value(lab, "zfs get -H -o value compression,atime tank/apps") == "on\noff")
        #expect(try await Self.value(lab, "zfs get -H -o value recordsize tank/apps/nextcloud") == "64K")
        #expect(try await Self.value(lab, "zfs get -H -o value compression tank/media") == "gzip")

        let second = try await action.run(call, context: context)
        #expect(second["changed"] == .int(0))
        #expect(try await action.probe(call, context: context) == .satisfied("ansible-playbook --check: nothing to change on pve"))

        // A pool whose disks survived (exported, as after a reinstall) is imported, not created.
        _ = try await Self.value(lab, "zpool export backup")
        let third = try await action.run(call, context: context)
        #expect(third["changed-tasks"] == .list([.map([("task", .string("Import pools whose disks survived")), ("host", .string("pve"))])]))
        #expect(try await Self.value(lab, "zpool list -H -o name").split(separator: "\n") == ["backup", "tank"])
    }

    @Test func aPoolWithoutLabelIsNotCreatedUnlessAsked() async throws {
        let lab = try await ZFSHostLab.start()
        defer { Task { await lab.stop() } }
        let storage = try AnsiblePlaybookLabTests.folder()
        defer { try? FileManager.default.removeItem(atPath: storage) }
        try Self.datasets.write(toFile: storage + "/datasets.yaml", atomically: true, encoding: .utf8)
        try Self.policy.write(toFile: storage + "/policy.yaml", atomically: true, encoding: .utf8)
        var call = Self.call(lab, storage: storage)
        guard case .map(var inventory)? = call.inputs["inventory"], let zfs = inventory.firstIndex(where: { $0.0 == "zfs" }) else {
            Issue.record("no zfs section")
            return
        }
        inventory[zfs].1 = .map([("pools", .list([.map([("name", .string("fresh")), ("vdevs", .list([.string(lab.directory + "/no-such-disk")]))])]))])
        call.inputs["inventory"] = .map(inventory)
        let spool = SpoolDirectory.temporary()
        defer { spool.remove() }
        let failure = await ActionFailure.of { _ = try await AnsiblePlaybook().run(call, context: ProgramContext(SpawnedProcess(spool: spool))) }
        let message = try #require(failure?.message)
        #expect(message.contains("task 'Refuse to create a pool unless asked' on host pve"), "\(message)")
        #expect(message.contains("pool fresh is not imported and no disk carries its label; set zfs_create_pools=true"), "\(message)")
    }

    static func value(_ lab: ZFSHostLab, _ command: String) async throws -> String {
        try await lab.shell(command).trimmingCharacters(in: .newlines)
    }
}
