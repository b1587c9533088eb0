import Foundation
import HomelabCore
import Testing

@testable import HomelabActions

/// zfs.restore on a RemoteShell double and an in-memory cloud: which copy is chosen, the chain
/// in order, a missing base named, a stream that is not what it claims refused, the temporary
/// name renamed only once verified, and what the host's ZFS can do detected, not assumed.
struct ZFSRestoreTests {
    static let names = ["homelab-2026-12-01-0000", "homelab-2026-12-01-0100", "homelab-2026-12-01-0200", "homelab-2026-12-01-0300"]
    static let host: [String: Value] = ["host": .string("pve"), "datasets": .list([.string("tank/apps/immich")])]

    static func cloudInputs() -> [String: Value] {
        host.merging(
            [
                "cloud": .map([("endpoint", .string("memory")), ("bucket", .string("b")), ("prefix", .string("p/"))]),
                "access-key": .string("a"), "secret-key": .string("s"), "encryption-key": .string("k"),
            ], uniquingKeysWith: { $1 })
    }

    /// A full upload and its incrementals, as the store would list them, each holding the stream
    /// of its snapshot.
    static func upload(_ snaps: [FakeZFSShell.Snap], to store: MemoryBackupStore, skipping skipped: Set<Int> = []) {
        for (index, snap) in snaps.enumerated() where !skipped.contains(index) {
            let base = index > 0 ? snaps[index - 1] : nil
            let bytes = FakeZFSShell.stream([snap])
            store.add(
                BackupManifest(
                    dataset: "tank/apps/immich", snapshot: snap.name, guid: snap.guid, baseSnapshot: base?.name, baseGuid: base?.guid,
                    created: snap.creation, size: Int64(bytes.count), sha256: "", object: "p/tank/apps/immich/\(snap.name).zstream"),
                bytes: bytes)
        }
    }

    @Test func theCloudChainIsReceivedInOrderUnderATemporaryNameThenRenamed() async throws {
        let shell = FakeZFSShell(datasets: ["tank": [], "tank/apps": []])
        let store = MemoryBackupStore()
        let snaps = FakeZFSShell.chain(Self.names)
        Self.upload(snaps, to: store)
        let outputs = try await ZFSRestore(ZFSTransport(shell: shell, backups: store)).run(
            ActionCall(step: "r", inputs: Self.cloudInputs()), context: RecordingContext())
        #expect(outputs["snapshot"] == .string("homelab-2026-12-01-0300"))
        #expect(outputs["created"] == .string(ZFSName.iso(snaps[3].creation)))
        #expect(shell.datasets["tank/apps/immich"] == snaps)
        #expect(shell.datasets["tank/apps/immich-homelab-partial"] == nil)
        let receives = shell.commands.filter { $0.hasPrefix("zfs receive") }
        #expect(
            receives == [
                "zfs receive -u tank/apps/immich-homelab-partial", "zfs receive -u -F tank/apps/immich-homelab-partial",
                "zfs receive -u -F tank/apps/immich-homelab-partial", "zfs receive -u -F tank/apps/immich-homelab-partial",
            ])
        let rename = try #require(shell.commands.firstIndex(of: "zfs rename tank/apps/immich-homelab-partial tank/apps/immich"))
        let lastCheck = try #require(shell.commands.lastIndex { $0.contains("-d 1") && $0.hasSuffix("tank/apps/immich-homelab-partial") })
        #expect(lastCheck < rename, "the guids are checked before the rename")
    }

    @Test func anIncrementalWhoseBaseIsMissingNamesTheMissingSnapshot() async throws {
        let shell = FakeZFSShell(datasets: ["tank": [], "tank/apps": []])
        let store = MemoryBackupStore()
        let snaps = FakeZFSShell.chain(Self.names)
        Self.upload(snaps, to: store, skipping: [1])
        let failure = await ActionFailure.of {
            _ = try await ZFSRestore(ZFSTransport(shell: shell, backups: store)).run(
                ActionCall(step: "r", inputs: Self.cloudInputs()), context: RecordingContext())
        }
        #expect(
            failure?.message
                == "tank/apps/immich@homelab-2026-12-01-0200 is an incremental from tank/apps/immich@homelab-2026-12-01-0100 (guid 101), which no tier holds; "
                + "the chain cannot be restored past it: restore an older snapshot, or upload a full stream again")
        #expect(shell.commands.allSatisfy { !$0.hasPrefix("zfs receive") })
    }

    @Test func aStreamThatIsNotTheSnapshotItClaimsIsRefusedAndTheTargetLeftAlone() async throws {
        let shell = FakeZFSShell(datasets: ["tank": [], "tank/apps": []])
        let store = MemoryBackupStore()
        var snaps = FakeZFSShell.chain(Self.names)
        Self.upload(Array(snaps.prefix(3)), to: store)
        // The last object carries another snapshot's stream under the right manifest.
        snaps[3].guid = "999"
        let base = snaps[2]
        let bytes = FakeZFSShell.stream([snaps[3]])
        store.add(
            BackupManifest(
                dataset: "tank/apps/immich", snapshot: snaps[3].name, guid: "103", baseSnapshot: base.name, baseGuid: base.guid, created: snaps[3].creation,
                size: Int64(bytes.count), sha256: "", object: "p/x.zstream"), bytes: bytes)
        let failure = await ActionFailure.of {
            _ = try await ZFSRestore(ZFSTransport(shell: shell, backups: store)).run(
                ActionCall(step: "r", inputs: Self.cloudInputs()), context: RecordingContext())
        }
        #expect(failure?.message.contains("has guid 999 after the receive where 103 was sent") == true, "\(String(describing: failure))")
        #expect(shell.datasets["tank/apps/immich"] == nil)
        #expect(shell.datasets["tank/apps/immich-homelab-partial"]?.map(\.guid) == ["100", "101", "102"])
        #expect(!shell.commands.contains { $0.hasPrefix("zfs rename") })
    }

    @Test func theReplicaIsPreferredToTheCloudAndTheSurvivingDatasetToBoth() async throws {
        let snaps = FakeZFSShell.chain(Self.names)
        let store = MemoryBackupStore()
        Self.upload(snaps, to: store)
        let shell = FakeZFSShell(datasets: ["tank": [], "tank/apps": [], "backup/apps/immich": snaps])
        let zfs = ZFSTransport(shell: shell, backups: store)
        let outputs = try await ZFSRestore(zfs).run(ActionCall(step: "r", inputs: Self.cloudInputs()), context: RecordingContext())
        guard case .list(let items)? = outputs["restored"], case .map(let item)? = items.first else { throw ActionError("no entry") }
        #expect(item.first { $0.0 == "source" }?.1 == .string("replica"))
        #expect(shell.datasets["tank/apps/immich"] == snaps)
        #expect(!shell.commands.contains { $0.hasPrefix("zfs receive") }, "a host-side send | receive, not a stream through homelab")

        let again = try await ZFSRestore(zfs).run(ActionCall(step: "r", inputs: Self.cloudInputs()), context: RecordingContext())
        guard case .list(let second)? = again["restored"], case .map(let entry)? = second.first else { throw ActionError("no entry") }
        #expect(entry.first { $0.0 == "source" }?.1 == .string("pool"))
    }

    @Test func resumableReceiveIsUsedOnlyWhereTheHostHasIt() async throws {
        let snaps = FakeZFSShell.chain(Self.names)
        for resumable in [false, true] {
            let shell = FakeZFSShell(resumable: resumable, datasets: ["tank": [], "tank/apps": [], "backup/apps/immich": snaps])
            let host = ZFSHost(shell: shell, target: SSHTarget(address: "pve"), context: RecordingContext())
            let capabilities = try await host.capabilities(pool: "tank")
            #expect(capabilities.resumableReceive == resumable)
            #expect(capabilities.sizeEstimate == resumable)
            _ = try await ZFSRestore(ZFSTransport(shell: shell, backups: MemoryBackupStore())).run(
                ActionCall(step: "r", inputs: Self.host), context: RecordingContext())
            let transfers = shell.commands.filter { $0.hasPrefix("sh -c") }
            #expect(transfers.count == 2)
            #expect(transfers.allSatisfy { $0.contains("zfs receive -u -s ") == resumable }, "\(transfers)")
        }
    }

    @Test func aPartialRestoreIsContinuedWhenItsSnapshotsAreTheChainsAndRemovedWhenNot() async throws {
        let snaps = FakeZFSShell.chain(Self.names)
        let store = MemoryBackupStore()
        Self.upload(snaps, to: store)
        let kept = FakeZFSShell(datasets: ["tank": [], "tank/apps": [], "tank/apps/immich-homelab-partial": Array(snaps.prefix(2))])
        let context = RecordingContext()
        _ = try await ZFSRestore(ZFSTransport(shell: kept, backups: store)).run(ActionCall(step: "r", inputs: Self.cloudInputs()), context: context)
        #expect(kept.commands.filter { $0.hasPrefix("zfs receive") }.count == 2)
        #expect(kept.datasets["tank/apps/immich"] == snaps)
        #expect(context.messages.contains("tank/apps/immich-homelab-partial holds the chain's first 2 snapshot(s), verified by guid: continuing from there"))

        var foreign = snaps[0]
        foreign.guid = "7"
        let stale = FakeZFSShell(datasets: ["tank": [], "tank/apps": [], "tank/apps/immich-homelab-partial": [foreign]])
        _ = try await ZFSRestore(ZFSTransport(shell: stale, backups: store)).run(ActionCall(step: "r", inputs: Self.cloudInputs()), context: RecordingContext())
        #expect(stale.commands.contains("zfs destroy -r tank/apps/immich-homelab-partial"))
        #expect(stale.commands.filter { $0.hasPrefix("zfs receive") }.count == 4)
        #expect(stale.datasets["tank/apps/immich"] == snaps)
    }

    @Test func chainSelectionAndPrefixArePureFunctions() throws {
        let store = (0..<3).map { index in
            BackupManifest(
                dataset: "d/x", snapshot: "s\(index)", guid: "g\(index)", baseSnapshot: index > 0 ? "s\(index - 1)" : nil,
                baseGuid: index > 0 ? "g\(index - 1)" : nil,
                created: Int64(index), size: 1, sha256: "", object: "o\(index)")
        }
        // Listed in any order, the chain comes back full stream first.
        #expect(
            try RestoreSource.cloudChain([store[0], store[2], store[1]].sorted { $0.created < $1.created }, dataset: "d/x").map(\.snapshot) == [
                "s0", "s1", "s2",
            ])
        #expect(try RestoreSource.cloudChain([], dataset: "d/x").isEmpty)
        let partial = [SnapshotEntry(name: "s0", guid: "g0", creation: 0), SnapshotEntry(name: "s1", guid: "g1", creation: 1)]
        #expect(RestoreSource.progress(of: partial, along: ["g0", "g1", "g2"]) == 2)
        #expect(RestoreSource.progress(of: partial, along: ["g0", "gX", "g2"]) == nil)
        #expect(RestoreSource.progress(of: [], along: ["g0"]) == 0)
    }

    @Test func anInterruptedResumableReceiveIsResumedFromTheHostAndDiscardedForTheCloud() async throws {
        let snaps = FakeZFSShell.chain(Self.names)
        let replica = FakeZFSShell(
            resumable: true, datasets: ["tank": [], "tank/apps": [], "backup/apps/immich": snaps, "tank/apps/immich-homelab-partial": []])
        replica.tokens["tank/apps/immich-homelab-partial"] = "backup/apps/immich@\(Self.names[0])"
        _ = try await ZFSRestore(ZFSTransport(shell: replica, backups: MemoryBackupStore())).run(
            ActionCall(step: "r", inputs: Self.host), context: RecordingContext())
        let transfers = replica.commands.filter { $0.hasPrefix("sh -c") }
        #expect(transfers.first?.contains("zfs send -t backup/apps/immich@\(Self.names[0]);") == true, "\(transfers)")
        #expect(transfers.first?.contains("zfs receive -u -s tank/apps/immich-homelab-partial") == true)
        #expect(transfers.count == 2, "the resumed full stream, then the incrementals")
        #expect(replica.datasets["tank/apps/immich"] == snaps)

        let store = MemoryBackupStore()
        Self.upload(snaps, to: store)
        let cloud = FakeZFSShell(resumable: true, datasets: ["tank": [], "tank/apps": [], "tank/apps/immich-homelab-partial": []])
        cloud.tokens["tank/apps/immich-homelab-partial"] = "elsewhere@x"
        _ = try await ZFSRestore(ZFSTransport(shell: cloud, backups: store)).run(ActionCall(step: "r", inputs: Self.cloudInputs()), context: RecordingContext())
        #expect(cloud.commands.contains("zfs receive -A tank/apps/immich-homelab-partial"))
        #expect(cloud.commands.contains("zfs destroy -r tank/apps/immich-homelab-partial"))
        #expect(cloud.datasets["tank/apps/immich"] == snaps)
    }
}
