import Foundation
import HomelabActions
import HomelabCore
import LabSupport
import Testing

/// The ZFS lab host (zfs-fuse + sshd in a private namespace) as the actions see it: reached
/// through homelab's own SSH transport, with the pools, the seeded chain and its replica in place.
@Suite struct ZFSHostLabTests {
    @Test func aSeededHostAnswersZfsOverTheProjectsSSH() async throws {
        let lab = try await ZFSHostLab.start(seed: true, replica: true)
        defer { lab.fixture.stopInBackground() }

        // Through the ssh.exec action and the inventory entry, as a runbook step would.
        let outputs = try await SSHExec(shell: Integrations.live()[SSHIntegration.self]).run(
            ActionCall(
                step: "list",
                inputs: ["host": lab.inventoryEntry, "command": .string("zfs list -H -o name -t filesystem -r tank backup")]),
            context: RecordingContext())
        let filesystems = Set((outputs["stdout"]?.text ?? "").split(separator: "\n").map(String.init))
        let replicas = ZFSHostLab.seededDatasets.map { "backup" + $0.dropFirst("tank".count) }
        #expect(filesystems == Set(["tank", "backup"] + ZFSHostLab.seededDatasets + replicas))
        #expect(Set(lab.pools.keys) == ["tank", "backup"])
        #expect(lab.pools["tank"]?.count == 2)

        // Every seeded dataset carries the 4-snapshot chain, with the guids the fixture recorded,
        // and its replica on backup has the same guids (what a restore verifies).
        let snapshots = try await lab.list("tank/apps/immich", type: "snapshot")
        #expect(snapshots == ZFSHostLab.seededSnapshots.map { "tank/apps/immich@\($0)" })
        for dataset in ZFSHostLab.seededDatasets {
            let recorded = lab.seededGuids(dataset)
            #expect(recorded.count == 4)
            let newest = ZFSHostLab.seededSnapshots[3]
            #expect(try await lab.property("\(dataset)@\(newest)", "guid") == recorded[newest])
            #expect(lab.seededGuids("backup" + dataset.dropFirst("tank".count)) == recorded)
        }

        // Files are real and the same on every seeded host (deterministic bytes).
        let sums = try await lab.checksums("\(lab.mountRoot)/tank/apps/immich")
        #expect(Set(sums.keys) == ["README.txt", "data.bin", "added-1.bin", "added-2.bin", "added-3.bin"])
        #expect(sums["data.bin"]?.count == 64)
    }

    @Test func aBulkDatasetForBenchmarksAndAFailingCommandsStderr() async throws {
        let lab = try await ZFSHostLab.start(bulk: ["tank/bench": 8])
        defer { lab.fixture.stopInBackground() }
        #expect(try await lab.list("tank") == ["tank", "tank/bench"])
        let snapshot = "tank/bench@\(ZFSHostLab.seededSnapshots[0])"
        #expect(try await lab.property(snapshot, "guid") == lab.seededGuids("tank/bench")[ZFSHostLab.seededSnapshots[0]])
        #expect(try await lab.shell("stat -c %s \(lab.mountRoot)/tank/bench/bulk.bin") == "\(8 << 20)\n")
        await #expect {
            try await lab.shell("zfs list tank/nothing")
        } throws: { "\($0)".contains("dataset does not exist") }
    }
}
