import Foundation
import HomelabActions
import HomelabCore
import LabSupport
import Testing

/// `backup status` against a real ZFS (zfs-fuse) host over homelab's SSH: the seeded chain and
/// its replica are what the status shows, with the guids the fixture recorded.
@Suite struct BackupStatusZFSLabTests {
    @Test func theSeededSnapshotsAndTheirReplicasAreShownFresh() async throws {
        let lab = try await ZFSHostLab.start(seed: true, replica: true)
        defer { lab.fixture.stopInBackground() }
        let storage = StorageConfig(
            directory: "storage",
            datasets: [
                StorageDataset(name: "tank/apps", location: .file("d")),
                StorageDataset(name: "tank/apps/immich", tags: [.standard], location: .file("d")),
                StorageDataset(name: "tank/media", tags: [.standard], location: .file("d")),
                StorageDataset(name: "tank/scratch", tags: [.scratch], location: .file("d")),
            ],
            policy: StoragePolicy(
                snapshotPrefix: "homelab-",
                retention: [
                    .standard: [.local: Retention(keep: 14, maxAge: .seconds(86400)), .replica: Retention(keep: 8, maxAge: .seconds(86400))],
                    .scratch: [.local: Retention(keep: 3, maxAge: .seconds(86400))],
                ],
                replicaPool: "backup"))
        let reader = BackupStatusReader(shell: Integrations.live()[SSHIntegration.self], store: NoBackupStore(), target: lab.target)
        let status = await reader.status(storage, now: Int64(Date().timeIntervalSince1970))

        let newest = ZFSHostLab.seededSnapshots[3]
        #expect(
            status.rows.map { "\($0.location) \($0.state.rawValue) \($0.newest?.name ?? "-") \($0.count)" } == [
                "tank/apps/immich fresh \(newest) 4", "backup/apps/immich fresh \(newest) 4",
                "tank/media fresh \(newest) 4", "backup/media fresh \(newest) 4",
                "tank/scratch missing - 0",
            ])
        for row in status.rows where row.newest != nil {
            #expect(row.newest?.guid == lab.seededGuids(row.location)[newest], "\(row.location)")
        }
        #expect(status.isBehind, "tank/scratch has no snapshot")
    }
}
