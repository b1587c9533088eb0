import Foundation
import HomelabCore
import Testing

@testable import HomelabActions

/// The other ZFS actions' decisions, on doubles: snapshot names from the engine's clock, what
/// replicate and upload send, what prune spares, when a pool may be created, how properties are
/// compared, and how a stream's progress reads.
struct ZFSActionsTests {
    static func snaps(_ names: [String], guid: Int = 100) -> [SnapshotEntry] {
        names.enumerated().map { SnapshotEntry(name: $1, guid: String(guid + $0), creation: Int64($0), createtxg: Int64($0 + 1)) }
    }

    @Test func theSnapshotIsNamedFromTheEnginesClockInUTC() async throws {
        let shell = FakeZFSShell(datasets: ["tank/apps/immich": []])
        let context = RecordingContext()
        context.virtualClock.advance(by: .seconds(3 * 3600 + 25 * 60 + 59))
        let outputs = try await ZFSSnapshot(ZFSTransport(shell: shell, backups: MemoryBackupStore())).run(
            ActionCall(step: "s", inputs: ["host": .string("pve"), "datasets": .list([.string("tank/apps/immich")]), "recursive": .bool(true)]),
            context: context)
        #expect(outputs["snapshot"] == .string("homelab-2026-12-07-0325"))
        #expect(shell.commands.last == "zfs snapshot -r tank/apps/immich@homelab-2026-12-07-0325")
    }

    @Test func replicationIsFullFirstThenIncrementalFromTheNewestCommonGuid() throws {
        let source = Self.snaps(["a", "b", "c"])
        #expect(
            try ZFSReplicate.step(dataset: "tank/x", replica: "backup/x", source: source, target: nil, host: "h") == .full(first: source[0], last: source[2]))
        #expect(
            try ZFSReplicate.step(dataset: "tank/x", replica: "backup/x", source: source, target: Array(source.prefix(2)), host: "h")
                == .incremental(from: source[1], to: source[2]))
        #expect(try ZFSReplicate.step(dataset: "tank/x", replica: "backup/x", source: source, target: source, host: "h") == .upToDate(source[2]))
        // Same names, other guids: not a common snapshot.
        #expect(throws: ZFSError.self) {
            try ZFSReplicate.step(dataset: "tank/x", replica: "backup/x", source: source, target: Self.snaps(["a", "b"], guid: 500), host: "h")
        }
        // The replica went ahead of the source: refused, with the rollback to do by hand.
        var ahead = Array(source.prefix(2))
        ahead.append(SnapshotEntry(name: "z", guid: "900", creation: 9))
        #expect {
            try ZFSReplicate.step(dataset: "tank/x", replica: "backup/x", source: source, target: ahead, host: "h")
        } throws: { "\($0)".contains("zfs rollback -r backup/x@b") }
    }

    @Test func uploadSendsOnlyWhatTheCloudLacksFromTheNewestUploadedItStillHas() {
        let local = Self.snaps(["a", "b", "c"])
        func manifest(_ snapshot: SnapshotEntry) -> BackupManifest {
            BackupManifest(
                dataset: "tank/x", snapshot: snapshot.name, guid: snapshot.guid, created: snapshot.creation, size: 1, sha256: "", object: snapshot.name)
        }
        #expect(ZFSUpload.plan(local: local, uploaded: []) == ZFSUpload.Plan(snapshot: local[2], base: nil, upToDate: false))
        #expect(ZFSUpload.plan(local: local, uploaded: [manifest(local[0])]) == ZFSUpload.Plan(snapshot: local[2], base: local[0], upToDate: false, chain: 1))
        #expect(ZFSUpload.plan(local: local, uploaded: [manifest(local[0]), manifest(local[2])])?.upToDate == true)
        // The newest upload was pruned locally: the next newest one the host still has.
        let gone = SnapshotEntry(name: "old", guid: "42", creation: 0)
        #expect(ZFSUpload.plan(local: local, uploaded: [manifest(local[1]), manifest(gone)])?.base == local[1])
        #expect(ZFSUpload.plan(local: [], uploaded: []) == nil)
    }

    @Test func pruneSparesTheNewestTheKeptAndTheBasesOfTheNextIncrementals() {
        let all = Self.snaps(["homelab-1", "manual", "homelab-2", "homelab-3", "homelab-4", "homelab-5"])
        #expect(ZFSPrune.doomed(all, keep: 2, prefix: "homelab-", protected: []).map(\.name) == ["homelab-1", "homelab-2", "homelab-3"])
        #expect(ZFSPrune.doomed(all, keep: 2, prefix: "homelab-", protected: [all[2].guid]).map(\.name) == ["homelab-1", "homelab-3"])
        #expect(ZFSPrune.doomed(all, keep: 10, prefix: "homelab-", protected: []).isEmpty)
        // max-age: those created after the cutoff stay too (homelab-3 at 3, homelab-4 at 4...).
        #expect(ZFSPrune.doomed(all, keep: 1, prefix: "homelab-", protected: [], youngerThan: 2).map(\.name) == ["homelab-1", "homelab-2"])
        // Never the newest, even when it is not ours.
        let manualLast = Self.snaps(["homelab-1", "homelab-2", "manual"])
        #expect(ZFSPrune.doomed(manualLast, keep: 1, prefix: "homelab-", protected: []).map(\.name) == ["homelab-1"])
    }

    @Test func aPoolIsCreatedOnlyWhenAskedAndNoDiskCarriesALabel() async throws {
        let entry: Value = .map([("name", .string("tank")), ("vdevs", .list([.string("mirror"), .string("/dev/disk/by-id/a"), .string("/dev/disk/by-id/b")]))])
        let spec = try ZFSPool.spec(ActionCall(step: "p", inputs: ["pool": entry]))
        #expect(spec.disks == ["/dev/disk/by-id/a", "/dev/disk/by-id/b"])
        #expect(spec.directories == ["/dev/disk/by-id"])

        func shell(label: Bool) -> AnsweringShell {
            AnsweringShell { command in
                if command.hasPrefix("zpool list") { return RemoteResult(exitStatus: 0, stdout: command.contains("created") ? "" : "", stderr: "") }
                if command.hasPrefix("zpool import") { return RemoteResult(exitStatus: 1, stdout: "", stderr: "") }
                if command == "zdb -l /dev/disk/by-id/b" && label {
                    return RemoteResult(exitStatus: 0, stdout: "LABEL 0\n    version: 23\n    name: 'oldpool'\n", stderr: "")
                }
                if command.hasPrefix("zdb -l") { return RemoteResult(exitStatus: 0, stdout: "failed to unpack label 0\n", stderr: "") }
                return RemoteResult(exitStatus: 0, stdout: "", stderr: "")
            }
        }
        let refused = shell(label: false)
        let notAsked = await ActionFailure.of {
            _ = try await ZFSPool(ZFSTransport(shell: refused, backups: MemoryBackupStore())).run(
                ActionCall(step: "p", inputs: ["host": .string("pve"), "pool": entry]), context: RecordingContext())
        }
        #expect(notAsked?.message.contains("set 'create: true' to make a new, empty pool") == true)
        #expect(!refused.commands.contains { $0.hasPrefix("zpool create") })

        let labelled = shell(label: true)
        let overLabel = await ActionFailure.of {
            _ = try await ZFSPool(ZFSTransport(shell: labelled, backups: MemoryBackupStore())).run(
                ActionCall(step: "p", inputs: ["host": .string("pve"), "pool": entry, "create": .bool(true)]), context: RecordingContext())
        }
        #expect(overLabel?.message.contains("/dev/disk/by-id/b on root@pve:22 carries a ZFS label of pool 'oldpool'") == true)
        #expect(!labelled.commands.contains { $0.hasPrefix("zpool create") })

        let blank = shell(label: false)
        _ = try? await ZFSPool(ZFSTransport(shell: blank, backups: MemoryBackupStore())).run(
            ActionCall(step: "p", inputs: ["host": .string("pve"), "pool": entry, "create": .bool(true)]), context: RecordingContext())
        #expect(blank.commands.contains("zpool create tank mirror /dev/disk/by-id/a /dev/disk/by-id/b"))
        #expect(ZFSPool(ZFSTransport(shell: blank, backups: MemoryBackupStore())).schema.destructive != .never)
    }

    @Test func propertiesCompareAsZFSPrintsThem() {
        #expect(ZFSDatasets.same("131072", "128K"))
        #expect(ZFSDatasets.same("on", "ON"))
        #expect(!ZFSDatasets.same("off", "on"))
        #expect(!ZFSDatasets.same(nil, "on"))
    }

    @Test func snapshotsAreOrderedByCreateTxgAndParsedFromZfsGet() {
        let output = """
            tank/x\tguid\t1
            tank/x@b\tguid\t20
            tank/x@b\tcreation\t100
            tank/x@b\tcreatetxg\t9
            tank/x@a\tguid\t10
            tank/x@a\tcreation\t100
            tank/x@a\tcreatetxg\t5
            tank/x/child@a\tguid\t30
            """
        #expect(SnapshotEntry.parse(output, of: "tank/x").map(\.name) == ["a", "b"])
        #expect(SnapshotEntry.parse(output, of: "tank/x").map(\.guid) == ["10", "20"])
    }

    @Test func progressSaysBytesThroughputAndETA() {
        let context = RecordingContext()
        let progress = StreamProgress("tank/x → cloud", expected: 2 << 30, exact: true, context: context)
        #expect(progress.line(512 << 20, elapsed: .seconds(8)) == "tank/x → cloud: 512.0 MiB of 2.0 GiB, 64.0 MiB/s, ETA 24s")
        let estimated = StreamProgress("tank/x", expected: 1 << 30, context: context)
        #expect(estimated.line(1 << 29, elapsed: .seconds(1)).contains("of ~1.0 GiB"))
    }

    @Test func namesAreCheckedBeforeTheyReachACommandLine() {
        #expect(throws: ZFSError.self) { try ZFSName.dataset("tank/x; rm -rf /") }
        #expect(throws: ZFSError.self) { try ZFSName.dataset("tank", allowPool: false) }
        #expect(throws: ZFSError.self) { try ZFSName.dataset("tank//x") }
        #expect(ZFSName.onPool("tank/apps/immich", "backup") == "backup/apps/immich")
        #expect(ZFSName.dated(prefix: "homelab-", at: Date(timeIntervalSince1970: 1_796_097_600)) == "homelab-2026-12-01-0400")
    }
}

/// A RemoteShell answering each command line from a closure; records them.
final class AnsweringShell: RemoteShell, @unchecked Sendable {
    private let lock = NSLock()
    private let answer: @Sendable (String) -> RemoteResult
    private var _commands: [String] = []

    init(_ answer: @escaping @Sendable (String) -> RemoteResult) { self.answer = answer }

    var commands: [String] { lock.withLock { _commands } }

    func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> RemoteResult {
        lock.withLock { _commands.append(command.command) }
        return answer(command.command)
    }
}

struct CloudTargetTests {
    @Test func aCloudTargetNeverPrintsItsSecrets() {
        let cloud = CloudTarget(
            endpoint: "https://s3.example", region: "r", bucket: "b", prefix: "p/", accessKey: "AKIA-canary", secretKey: "secret-canary",
            encryptionKey: "key-canary")
        for text in ["\(cloud)", String(reflecting: cloud), cloud.display] {
            #expect(!text.contains("canary"), "\(text)")
        }
    }
}
