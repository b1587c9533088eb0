import Foundation
import HomelabCore
import Synchronization
import Testing

@testable import HomelabActions

/// The live state behind `backup status`, read through the seams: one `zfs get` per pool over
/// the RemoteShell, the cloud's manifests through the BackupStore.
@Suite struct BackupStatusReaderTests {
    let now: Int64 = 1_796_000_000

    /// Answers `zfs get` per pool from a table; records each command.
    final class PoolShell: RemoteShell {
        let outputs: [String: RemoteResult]
        let failure: (any Error)?
        let commands = Mutex<[String]>([])

        init(_ outputs: [String: RemoteResult], failure: (any Error)? = nil) {
            self.outputs = outputs
            self.failure = failure
        }

        func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> RemoteResult {
            commands.withLock { $0.append(command.command) }
            if let failure { throw failure }
            let pool = String(command.command.split(separator: " ").last ?? "")
            return outputs[pool] ?? RemoteResult(exitStatus: 1, stdout: "", stderr: "cannot open '\(pool)': dataset does not exist\n")
        }
    }

    struct ManifestStore: BackupStore {
        var manifests: [String: [BackupManifest]]

        func upload(_ stream: AsyncThrowingStream<[UInt8], any Error>, of snapshot: BackupSnapshot, progress: @escaping @Sendable (Int64) -> Void) async throws
            -> BackupManifest
        { throw ActionError("not here") }

        func manifests(dataset: String) async throws -> [BackupManifest] { manifests[dataset] ?? [] }

        func download(_ manifest: BackupManifest, to sink: @escaping @Sendable ([UInt8]) async throws -> Void, progress: @escaping @Sendable (Int64) -> Void)
            async throws
        { throw ActionError("not here") }

        func delete(_ manifest: BackupManifest) async throws { throw ActionError("not here") }

        func strays(dataset: String) async throws -> [BackupStray] { [] }

        func delete(stray: BackupStray) async throws { throw ActionError("not here") }
    }

    static let storage = StorageConfig(
        directory: "storage",
        datasets: [
            StorageDataset(name: "tank/apps", location: .file("d")),
            StorageDataset(name: "tank/apps/immich", tags: [.critical], location: .file("d")),
            StorageDataset(name: "tank/media", tags: [.standard], location: .file("d")),
        ],
        policy: StoragePolicy(
            snapshotPrefix: "homelab-",
            retention: [
                .critical: [
                    .local: Retention(keep: 48, maxAge: .seconds(7200)), .replica: Retention(keep: 30, maxAge: .seconds(86400)),
                    .cloud: Retention(keep: 14, maxAge: .seconds(86400)),
                ],
                .standard: [.local: Retention(keep: 14, maxAge: .seconds(86400)), .replica: Retention(keep: 8, maxAge: .seconds(7 * 86400))],
            ],
            replicaPool: "backup",
            cloud: CloudTier(
                endpoint: "https://s3", region: "r", bucket: "b", prefix: "p/", accessKeySecret: "a", secretKeySecret: "s", encryptionKeySecret: "k")))

    func zfsGet(_ lines: [(String, Int64)]) -> RemoteResult {
        var out = "tank\tguid\t1\ntank\tcreation\t1\n"
        for (name, created) in lines {
            out += "\(name)\tguid\t\(abs(name.hashValue % 100000))\n\(name)\tcreation\t\(created)\n"
        }
        return RemoteResult(exitStatus: 0, stdout: out, stderr: "")
    }

    @Test func onePoolCommandPerPoolAndTheCloudFromItsManifests() async throws {
        let shell = PoolShell([
            "tank": zfsGet([("tank/apps/immich@homelab-a", now - 600), ("tank/apps/immich@homelab-b", now - 60), ("tank/media@homelab-a", now - 2 * 86400)]),
            "backup": zfsGet([("backup/apps/immich@homelab-a", now - 600), ("backup/media@homelab-a", now - 86400)]),
        ])
        let store = ManifestStore(manifests: [
            "tank/apps/immich": [
                BackupManifest(dataset: "tank/apps/immich", snapshot: "homelab-a", guid: "77", created: now - 3 * 86400, size: 1, sha256: "x", object: "o")
            ]
        ])
        let reader = BackupStatusReader(shell: shell, store: store, target: SSHTarget(address: "h"))
        let status = await reader.status(Self.storage, now: now)
        #expect(
            shell.commands.withLock { $0 } == [
                "zfs get -rHp -o name,property,value guid,creation tank", "zfs get -rHp -o name,property,value guid,creation backup",
            ])
        #expect(
            status.rows.map { "\($0.location) \($0.state.rawValue) \($0.newest?.name ?? "-")" } == [
                "tank/apps/immich fresh homelab-b", "backup/apps/immich fresh homelab-a", "s3://b/p/tank/apps/immich/ behind homelab-a",
                "tank/media behind homelab-a", "backup/media fresh homelab-a",
            ])
        #expect(status.rows[2].newest?.guid == "77")
    }

    @Test func aMissingReplicaPoolMakesOnlyThatTierUnknown() async throws {
        let shell = PoolShell(["tank": zfsGet([("tank/apps/immich@homelab-a", now - 60), ("tank/media@homelab-a", now - 60)])])
        let status = await BackupStatusReader(shell: shell, store: ManifestStore(manifests: [:]), target: SSHTarget(address: "h")).status(
            Self.storage, tiers: [.local, .replica], now: now)
        #expect(status.rows.map(\.state) == [.fresh, .unknown, .fresh, .unknown])
        #expect(status.rows[1].problem == "pool 'backup' on root@h:22: cannot open 'backup': dataset does not exist")
    }

    @Test func anUnreachableHostIsDialledOnceAndTheCloudIsStillRead() async throws {
        let shell = PoolShell([:], failure: ActionError("connection refused"))
        let status = await BackupStatusReader(shell: shell, store: NoBackupStore(reason: "no S3 here"), target: SSHTarget(address: "h", port: 2222)).status(
            Self.storage, now: now)
        #expect(shell.commands.withLock { $0.count } == 1)
        #expect(status.rows.allSatisfy { $0.state == .unknown })
        #expect(Set(status.rows.compactMap(\.problem)) == ["cannot reach root@h:2222: connection refused", "cloud: no S3 here"])
    }

    @Test func theListingParserKeepsSnapshotsOnlyAndNeedsBothProperties() {
        let parsed = SnapshotListing.parse(
            "tank/a\tguid\t5\ntank/a@s1\tguid\t11\ntank/a@s1\tcreation\t100\ntank/a@s2\tguid\t12\ntank/b c@s1\tguid\t13\ntank/b c@s1\tcreation\t300\n")
        #expect(parsed["tank/a"] == [SnapshotRecord(name: "s1", guid: "11", created: 100)])
        #expect(parsed["tank/b c"] == [SnapshotRecord(name: "s1", guid: "13", created: 300)])
    }
}
