import Foundation
import HomelabCore
import Testing

@testable import HomelabActions

/// Retention of the cloud tier on doubles: zfs.upload starts a new chain after `full-every`
/// incrementals (or on a broken chain), zfs.prune with tier cloud keeps exactly the newest, the
/// young and their ancestors, deletes the rest chain by chain, and a prune killed at any deletion
/// leaves chains a restore can use.
struct ZFSCloudRetentionTests {
    static let dataset = "tank/apps/immich"
    /// The engine's clock in RecordingContext starts at 2026-12-07 00:00 UTC.
    static let now: Int64 = 1_796_601_600

    /// s0...s(count-1), one a day, the newest a day old.
    static func snaps(_ count: Int) -> [FakeZFSShell.Snap] {
        (0..<count).map { FakeZFSShell.Snap(name: "homelab-s\($0)", guid: String(7000 + $0), creation: now - Int64(count - $0) * 86_400) }
    }

    static func inputs(_ extra: [String: Value] = [:]) -> [String: Value] {
        ZFSRestoreTests.cloudInputs().merging(extra) { $1 }
    }

    /// A host taking a snapshot a day and uploading it after each, with `fullEvery`; returns the
    /// uploads' modes.
    @discardableResult
    static func uploadDaily(_ count: Int, fullEvery: Int, shell: FakeZFSShell, store: MemoryBackupStore) async throws -> [String] {
        var modes: [String] = []
        for snap in snaps(count) {
            shell.take(snap, of: dataset)
            let outputs = try await ZFSUpload(ZFSTransport(shell: shell, backups: store)).run(
                ActionCall(step: "u", inputs: inputs(["full-every": .int(fullEvery)])), context: RecordingContext())
            guard case .list(let items)? = outputs["uploaded"], case .map(let item)? = items.first else { throw ActionError("no upload: \(outputs)") }
            modes.append(item.first { $0.0 == "mode" }?.1.text ?? "?")
        }
        return modes
    }

    static func prune(_ store: MemoryBackupStore, keep: Int, maxAge: String? = nil) async throws -> [String: Value] {
        var extra: [String: Value] = ["tier": .string("cloud"), "keep": .int(keep)]
        if let maxAge { extra["max-age"] = .string(maxAge) }
        return try await ZFSPrune(ZFSTransport(shell: FakeZFSShell(), backups: store)).run(
            ActionCall(step: "p", inputs: inputs(extra)), context: RecordingContext())
    }

    /// Seven daily uploads with full-every 2: chains [s0 s1 s2] [s3 s4 s5] [s6].
    static func sevenDays() async throws -> MemoryBackupStore {
        let store = MemoryBackupStore()
        try await uploadDaily(7, fullEvery: 2, shell: FakeZFSShell(datasets: [dataset: []]), store: store)
        return store
    }

    @Test func theUploadStartsANewChainAfterFullEveryIncrementals() async throws {
        let store = MemoryBackupStore()
        let modes = try await Self.uploadDaily(7, fullEvery: 2, shell: FakeZFSShell(datasets: [Self.dataset: []]), store: store)
        #expect(modes == ["full", "incremental", "incremental", "full", "incremental", "incremental", "full"])
        #expect(store.all.map { $0.baseSnapshot ?? "-" } == ["-", "homelab-s0", "homelab-s1", "-", "homelab-s3", "homelab-s4", "-"])
        #expect(store.all.filter { !$0.isIncremental }.map(\.snapshot) == ["homelab-s0", "homelab-s3", "homelab-s6"])
    }

    @Test func aBrokenChainIsRebasedOnAFullStream() async throws {
        let shell = FakeZFSShell(datasets: [Self.dataset: []])
        let store = MemoryBackupStore()
        try await Self.uploadDaily(3, fullEvery: 30, shell: shell, store: store)
        store.remove("homelab-s1", of: Self.dataset)
        let snaps = Self.snaps(4)
        #expect(ZFSUpload.plan(local: [], uploaded: store.all, fullEvery: 30) == nil)
        let local = snaps.map { SnapshotEntry(name: $0.name, guid: $0.guid, creation: $0.creation) }
        let plan = try #require(ZFSUpload.plan(local: local, uploaded: store.all, fullEvery: 30))
        #expect(plan.base == nil)
        #expect(plan.rebased?.contains("does not reach a full stream") == true)
        // Whole, the chain goes on; at its bound, a full.
        let whole = try await Self.sevenDays().all
        #expect(ZFSUpload.plan(local: local, uploaded: Array(whole.prefix(2)), fullEvery: 2)?.base?.name == "homelab-s1")
        #expect(ZFSUpload.plan(local: local, uploaded: Array(whole.prefix(3)), fullEvery: 2)?.base == nil)
    }

    @Test func pruneKeepsTheNewestAndTheAncestorsTheyNeedAndDeletesTheRestNewestFirst() async throws {
        let store = try await Self.sevenDays()
        let outputs = try await Self.prune(store, keep: 2)
        // s5 and s6 are kept, s5 needs s4 and s3; the first chain goes, newest first.
        #expect(store.all.map(\.snapshot) == ["homelab-s3", "homelab-s4", "homelab-s5", "homelab-s6"])
        #expect(outputs["destroyed"] == .list(["homelab-s2", "homelab-s1", "homelab-s0"].map { .string("\(Self.dataset)@\($0)") }))
        #expect(outputs["count"] == .int(3))
        let sizes = try await Self.sevenDays().all.prefix(3).reduce(0) { $0 + Int($1.size) }
        #expect(outputs["bytes"] == .int(sizes))
        #expect(
            store.deletions
                == ["homelab-s2", "homelab-s1", "homelab-s0"].flatMap {
                    ["manifest \(Self.dataset)@\($0)", "object \(Self.dataset)/\($0).zstream"]
                })
        #expect(store.objectKeys == store.all.map(\.object).sorted())
        // Again: nothing more to do.
        #expect(try await Self.prune(store, keep: 2)["count"] == .int(0))
    }

    @Test func maxAgeKeepsTheYoungAndTheirWholeChains() async throws {
        let store = try await Self.sevenDays()
        // s2 is five days old: kept, and with it s1 and s0.
        #expect(try await Self.prune(store, keep: 1, maxAge: "5d12h")["count"] == .int(0))
        #expect(store.all.count == 7)
        // Four days: s3 and newer; the first chain goes.
        #expect(try await Self.prune(store, keep: 1, maxAge: "4d12h")["count"] == .int(3))
        #expect(store.all.map(\.snapshot) == ["homelab-s3", "homelab-s4", "homelab-s5", "homelab-s6"])
    }

    @Test func theNewestIsNeverDeletedAndABrokenNewestChainSparesEverything() async throws {
        let store = try await Self.sevenDays()
        _ = try await Self.prune(store, keep: 1)
        #expect(store.all.map(\.snapshot) == ["homelab-s6"])
        #expect(try await Self.prune(store, keep: 1)["count"] == .int(0))

        // The newest chain lost its full stream: older whole chains may be the only usable copy.
        let broken = try await Self.sevenDays()
        broken.remove("homelab-s3", of: Self.dataset)
        broken.remove("homelab-s6", of: Self.dataset)
        let context = RecordingContext()
        let outputs = try await ZFSPrune(ZFSTransport(shell: FakeZFSShell(), backups: broken)).run(
            ActionCall(step: "p", inputs: Self.inputs(["tier": .string("cloud"), "keep": .int(1)])), context: context)
        #expect(outputs["count"] == .int(0))
        #expect(broken.all.count == 5)
        #expect(context.messages.contains { $0.contains("does not reach a full stream; nothing is deleted") })
    }

    /// Killed at each deletion in turn: what is left restores the newest snapshot, every chain
    /// left reaches its full, and a second run finishes the job.
    @Test(arguments: 1...6) func aPruneKilledAtAnyDeletionLeavesRestorableChains(killedAt: Int) async throws {
        let store = try await Self.sevenDays()
        store.failDeletionAt = killedAt
        await #expect(throws: MemoryBackupStore.Killed.self) { _ = try await Self.prune(store, keep: 2) }
        let left = store.all
        let chains = BackupChains(left)
        #expect(left.allSatisfy { chains.incrementals(upTo: $0) != nil }, "a chain left without its full: \(left.map(\.snapshot))")
        #expect(Set(left.map(\.object)).isSubset(of: Set(store.objectKeys)), "a manifest names a deleted stream")

        let shell = FakeZFSShell(datasets: ["tank": [], "tank/apps": []])
        let restored = try await ZFSRestore(ZFSTransport(shell: shell, backups: store)).run(
            ActionCall(step: "r", inputs: Self.inputs()), context: RecordingContext())
        #expect(restored["snapshot"] == .string("homelab-s6"))
        #expect(shell.datasets[Self.dataset]?.map(\.name) == ["homelab-s6"])

        store.failDeletionAt = nil
        _ = try await Self.prune(store, keep: 2)
        #expect(store.all.map(\.snapshot) == ["homelab-s3", "homelab-s4", "homelab-s5", "homelab-s6"])
        // Killed between a manifest and its stream: the stream, a stray, is gone too now.
        #expect(store.objectKeys == store.all.map(\.object).sorted())
    }

    @Test func aStreamWithoutManifestIsDeletedOnceItIsADayOld() async throws {
        let store = try await Self.sevenDays()
        store.remove("homelab-s6", of: Self.dataset)
        // Written an hour ago by the bucket's clock: an upload may be about to write its manifest.
        store.strayModified = Date(timeIntervalSince1970: TimeInterval(Self.now - 3600))
        let context = RecordingContext()
        let young = try await ZFSPrune(ZFSTransport(shell: FakeZFSShell(), backups: store)).run(
            ActionCall(step: "p", inputs: Self.inputs(["tier": .string("cloud"), "keep": .int(10)])), context: context)
        #expect(young["count"] == .int(0))
        #expect(context.messages.contains { $0.contains("1 stream(s) of \(Self.dataset) without a manifest are kept") })
        // The bucket does not say when: kept too.
        store.strayModified = nil
        #expect(try await Self.prune(store, keep: 10)["count"] == .int(0))
        store.strayModified = Date(timeIntervalSince1970: TimeInterval(Self.now - 86_400 - 1))
        let old = try await Self.prune(store, keep: 10)
        #expect(old["destroyed"] == .list([.string("\(Self.dataset)@homelab-s6")]))
        #expect(!store.objectKeys.contains("\(Self.dataset)/homelab-s6.zstream"))
        #expect(store.all.count == 6)
    }

    @Test func theCloudPruneIsPlannedDestructiveAndShowsWhatItWouldDelete() async throws {
        let store = try await Self.sevenDays()
        let prune = ZFSPrune(ZFSTransport(shell: FakeZFSShell(), backups: store))
        #expect(prune.schema.destructive != .never)
        let probe = try await prune.probe(
            ActionCall(step: "p", inputs: Self.inputs(["tier": .string("cloud"), "keep": .int(2)])), context: RecordingContext())
        guard case .wouldChange(let text) = probe else { throw ActionError("probe said \(probe)") }
        #expect(text.contains("delete from the cloud \(Self.dataset)@homelab-s2, \(Self.dataset)@homelab-s1, \(Self.dataset)@homelab-s0 (3 stream(s)"))
        #expect(store.all.count == 7, "a probe deletes nothing")
        #expect(store.deletions.isEmpty)
        let inputs: [String: Value] = ["host": .string("pve"), "datasets": .list([.string(Self.dataset)]), "tier": .string("cloud"), "keep": .int(2)]
        #expect(prune.validate(inputs).map(\.input) == ["cloud"])
        #expect(prune.describe(Self.inputs(["tier": .string("cloud"), "keep": .int(2)])).contains("(DESTRUCTIVE)"))
        #expect(ZFSUpload(ZFSTransport(shell: FakeZFSShell(), backups: store)).validate(["full-every": .int(0)]).map(\.input) == ["full-every"])
    }
}
