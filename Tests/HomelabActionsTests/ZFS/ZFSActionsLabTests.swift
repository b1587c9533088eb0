import Foundation
import HomelabActions
import HomelabCore
import LabSupport
import Testing

/// The ZFS actions against a real zfs-fuse host over the project's own SSH: snapshot, replicate,
/// upload, and restore from the replica and from the cloud (an in-memory store: the live S3 store
/// is tested against moto on its own), with file checksums compared bit for bit; a killed
/// restore continued by the next run; refused streams leaving the target as it was.
@Suite(.timeLimit(.minutes(10)))
struct ZFSActionsLabTests {
    static let immich: Value = .list([.string("tank/apps/immich")])

    @Test func snapshotReplicateDestroyAndRestoreFromTheReplica() async throws {
        let lab = try await ZFSHostLab.start(seed: true)
        defer { lab.fixture.stopInBackground() }
        let zfs = ZFSTransport(shell: LiveRemoteShell(), backups: MemoryBackupStore())
        let context = RecordingContext()

        let made = try await ZFSSnapshot(zfs).run(lab.call(["datasets": Self.immich]), context: context)
        #expect(made["snapshot"] == .string("homelab-2026-12-07-0000")) // the virtual clock's minute, UTC
        let first = try await ZFSReplicate(zfs).run(lab.call(["datasets": Self.immich]), context: context)
        #expect(first["replicated"] == .list([Self.replicated("full", "homelab-2026-12-07-0000")]))
        #expect(try await lab.list("backup/apps/immich", type: "snapshot").count == 5)
        #expect(try await ZFSReplicate(zfs).probe(lab.call(["datasets": Self.immich]), context: context) != .notSatisfied)

        try await lab.shell("echo later > \(lab.mountRoot)/tank/apps/immich/later.txt")
        _ = try await ZFSSnapshot(zfs).run(lab.call(["datasets": Self.immich, "name": .string("homelab-2026-12-07-0100")]), context: context)
        let second = try await ZFSReplicate(zfs).run(lab.call(["datasets": Self.immich]), context: context)
        #expect(second["replicated"] == .list([Self.replicated("incremental", "homelab-2026-12-07-0100")]))
        #expect(
            try await lab.property("backup/apps/immich@homelab-2026-12-07-0100", "guid")
                == lab.property("tank/apps/immich@homelab-2026-12-07-0100", "guid"))

        let before = try await lab.checksums("\(lab.mountRoot)/tank/apps/immich")
        let guid = try await lab.property("tank/apps/immich@homelab-2026-12-07-0100", "guid")
        try await Self.destroy(lab, "tank/apps/immich")

        let restored = try await ZFSRestore(zfs).run(lab.call(["datasets": Self.immich]), context: context)
        #expect(restored["snapshot"] == .string("homelab-2026-12-07-0100"))
        guard case .list(let items)? = restored["restored"], case .map(let item)? = items.first else {
            Issue.record("no restored entry: \(restored)")
            return
        }
        #expect(item.first { $0.0 == "source" }?.1 == .string("replica"))
        #expect(try await lab.property("tank/apps/immich@homelab-2026-12-07-0100", "guid") == guid)
        #expect(try await lab.checksums("\(lab.mountRoot)/tank/apps/immich") == before)
        #expect(try await lab.list("tank").filter { $0.contains("homelab-partial") }.isEmpty)
        #expect(
            try await ZFSRestore(zfs).probe(lab.call(["datasets": Self.immich]), context: context) == .satisfied("every dataset is in place with its snapshots")
        )
    }

    @Test func uploadAChainDestroyAndRestoreFromTheCloudThenRefuseATruncatedStream() async throws {
        let lab = try await ZFSHostLab.start(seed: true)
        defer { lab.fixture.stopInBackground() }
        let store = MemoryBackupStore()
        let zfs = ZFSTransport(shell: LiveRemoteShell(), backups: store)
        let context = RecordingContext()
        try await Self.uploadChain(lab, zfs, context, incrementals: 3)
        let chain = store.all
        #expect(chain.map(\.snapshot) == ["homelab-2026-12-01-0300", "homelab-2026-12-02-0001", "homelab-2026-12-02-0002", "homelab-2026-12-02-0003"])
        #expect(chain.map(\.baseSnapshot) == [nil, "homelab-2026-12-01-0300", "homelab-2026-12-02-0001", "homelab-2026-12-02-0002"])
        #expect(try await ZFSUpload(zfs).probe(lab.call(Self.cloud(["datasets": Self.immich])), context: context) != .notSatisfied)

        let before = try await lab.checksums("\(lab.mountRoot)/tank/apps/immich")
        try await Self.destroy(lab, "tank/apps/immich")
        let restored = try await ZFSRestore(zfs).run(lab.call(Self.cloud(["datasets": Self.immich])), context: context)
        #expect(restored["snapshot"] == .string("homelab-2026-12-02-0003"))
        #expect(try await lab.checksums("\(lab.mountRoot)/tank/apps/immich") == before)
        #expect(try await lab.list("tank/apps/immich", type: "snapshot").count == 4)
        #expect(context.messages.contains { $0.contains("from the cloud") && $0.contains("of ") })

        // A truncated last incremental: refused, the target stays absent, and what is left under
        // the temporary name holds only the verified snapshots before it.
        try await Self.destroy(lab, "tank/apps/immich")
        store.truncate(chain[3].object)
        let failure = await ActionFailure.of { _ = try await ZFSRestore(zfs).run(lab.call(Self.cloud(["datasets": Self.immich])), context: context) }
        #expect(failure?.message.contains("tank/apps/immich@homelab-2026-12-02-0003 was refused") == true, "\(String(describing: failure))")
        await #expect(throws: (any Error).self) { try await lab.shell("zfs list tank/apps/immich") }
        #expect(try await lab.list("tank/apps/immich-homelab-partial", type: "snapshot").count == 3)
    }

    @Test func aTamperedFullStreamIsRefusedAndNothingIsLeft() async throws {
        let lab = try await ZFSHostLab.start(seed: true)
        defer { lab.fixture.stopInBackground() }
        let store = MemoryBackupStore()
        let zfs = ZFSTransport(shell: LiveRemoteShell(), backups: store)
        let context = RecordingContext()
        try await Self.uploadChain(lab, zfs, context, incrementals: 1)
        try await Self.destroy(lab, "tank/apps/immich")
        store.tamper(store.all[0].object)
        let failure = await ActionFailure.of { _ = try await ZFSRestore(zfs).run(lab.call(Self.cloud(["datasets": Self.immich])), context: context) }
        #expect(failure?.message.contains("failed authentication") == true, "\(String(describing: failure))")
        #expect(try await lab.list("tank").filter { $0.hasPrefix("tank/apps/immich") }.isEmpty)
    }

    @Test func aRestoreCancelledMidStreamIsContinuedByTheNextRun() async throws {
        let lab = try await ZFSHostLab.start(seed: true)
        defer { lab.fixture.stopInBackground() }
        let store = MemoryBackupStore()
        let zfs = ZFSTransport(shell: LiveRemoteShell(), backups: store)
        let context = RecordingContext()
        try await lab.shell("dd if=/dev/urandom of=\(lab.mountRoot)/tank/apps/immich/big.bin bs=1M count=8 2>/dev/null")
        try await Self.uploadChain(lab, zfs, context, incrementals: 2)
        let before = try await lab.checksums("\(lab.mountRoot)/tank/apps/immich")
        try await Self.destroy(lab, "tank/apps/immich")

        // The first incremental (with the 8 MiB file) stalls half-way inside `zfs receive`.
        let stalled = Signal()
        store.stallOn = store.all[1].object
        store.onStall = { stalled.fire() }
        let running = Task { try await ZFSRestore(zfs).run(lab.call(Self.cloud(["datasets": Self.immich])), context: context) }
        await stalled.wait()
        running.cancel()
        _ = await running.result
        #expect(try await lab.list("tank").contains("tank/apps/immich") == false)

        store.stallOn = nil
        let restored = try await ZFSRestore(zfs).run(lab.call(Self.cloud(["datasets": Self.immich])), context: context)
        #expect(restored["snapshot"] == .string("homelab-2026-12-02-0002"))
        #expect(try await lab.checksums("\(lab.mountRoot)/tank/apps/immich") == before)
        #expect(try await lab.list("tank").filter { $0.contains("homelab-partial") }.isEmpty)
        #expect(context.messages.contains { $0.contains("continuing from there") })
    }

    @Test func aHostSideRestoreCancelledMidStreamStopsOnTheHostAndTheNextRunCompletes() async throws {
        let lab = try await ZFSHostLab.start(sizeMiB: 1024, bulk: ["tank/lifeline": 256])
        defer { lab.fixture.stopInBackground() }
        let zfs = ZFSTransport(shell: LiveRemoteShell(), backups: MemoryBackupStore())
        let bench: Value = .list([.string("tank/lifeline")])
        _ = try await ZFSReplicate(zfs).run(lab.call(["datasets": bench]), context: RecordingContext())
        let before = try await lab.checksums("\(lab.mountRoot)/tank/lifeline")
        try await Self.destroy(lab, "tank/lifeline")

        // Cancelled once dd has counted the first bytes on the host: the lifeline ends, and the
        // host stops its own `zfs send | zfs receive` instead of finishing it unobserved.
        let context = WaitingContext()
        let running = Task { try await ZFSRestore(zfs).run(lab.call(["datasets": bench]), context: context) }
        await context.waitFor("backup/lifeline → tank/lifeline-homelab-partial: ")
        running.cancel()
        _ = await running.result
        let deadline = ContinuousClock.now + .seconds(120)
        while try await lab.run("pgrep -f 'zfs (send|receive) .*lifeline'").status.succeeded && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try await lab.run("pgrep -f 'zfs (send|receive) .*lifeline'").status.succeeded == false)
        #expect(try await lab.list("tank").contains("tank/lifeline") == false)

        let restored = try await ZFSRestore(zfs).run(lab.call(["datasets": bench]), context: RecordingContext())
        #expect(restored["snapshot"] == .string(ZFSHostLab.seededSnapshots[0]))
        #expect(try await lab.checksums("\(lab.mountRoot)/tank/lifeline") == before)
        #expect(try await lab.list("tank").filter { $0.contains("homelab-partial") }.isEmpty)
    }

    @Test func poolsAreImportedCreatedOnlyOnBlankDisksAndDatasetsGetTheirProperties() async throws {
        let lab = try await ZFSHostLab.start()
        defer { lab.fixture.stopInBackground() }
        let zfs = ZFSTransport(shell: LiveRemoteShell(), backups: MemoryBackupStore())
        let context = RecordingContext()
        let backup: Value = .map([("name", .string("backup")), ("vdevs", .list((lab.pools["backup"] ?? []).map { .string($0) }))])

        #expect(try await ZFSPool(zfs).run(lab.call(["pool": backup]), context: context)["action"] == .string("present"))
        try await lab.shell("zpool export backup")
        #expect(try await ZFSPool(zfs).probe(lab.call(["pool": backup]), context: context) == .wouldChange("import pool backup"))
        let imported = try await ZFSPool(zfs).run(lab.call(["pool": backup]), context: context)
        #expect(imported["action"] == .string("imported") && imported["health"] == .string("ONLINE"))

        // A disk that held a destroyed pool still carries its label: never written over.
        let old = "\(lab.directory)/old.img"
        let blank = "\(lab.directory)/blank.img"
        try await lab.shell("truncate -s 128M \(old) \(blank) && zpool create -m none oldpool \(old) && zpool destroy oldpool")
        let overOld: Value = .map([("name", .string("fresh")), ("vdevs", .list([.string(old)]))])
        let refused = await ActionFailure.of { _ = try await ZFSPool(zfs).run(lab.call(["pool": overOld, "create": .bool(true)]), context: context) }
        #expect(refused?.message.contains("carries a ZFS label of pool 'oldpool'") == true, "\(String(describing: refused))")
        let onBlank: Value = .map([("name", .string("fresh")), ("vdevs", .list([.string(blank)]))])
        let notAsked = await ActionFailure.of { _ = try await ZFSPool(zfs).run(lab.call(["pool": onBlank]), context: context) }
        #expect(notAsked?.message.contains("set 'create: true'") == true)
        let created = try await ZFSPool(zfs).run(
            lab.call(["pool": onBlank, "create": .bool(true), "mountpoint": .string("\(lab.mountRoot)/fresh")]), context: context)
        #expect(created["action"] == .string("created"))

        let datasets: Value = .list([
            .map([("name", .string("fresh/apps/photos")), ("properties", .map([("compression", .string("on")), ("recordsize", .string("64K"))]))])
        ])
        let first = try await ZFSDatasets(zfs).run(lab.call(["datasets": datasets]), context: context)
        #expect(first["created"] == .list([.string("fresh/apps/photos")]))
        #expect(try await lab.property("fresh/apps/photos", "recordsize") == "65536")
        try await lab.shell("zfs set compression=off fresh/apps/photos")
        #expect(try await ZFSDatasets(zfs).probe(lab.call(["datasets": datasets]), context: context) == .wouldChange("set compression=on on fresh/apps/photos"))
        let second = try await ZFSDatasets(zfs).run(lab.call(["datasets": datasets]), context: context)
        #expect(second["created"] == .list([]) && second["changed"] == .list([.string("fresh/apps/photos")]))
        #expect(
            try await ZFSDatasets(zfs).probe(lab.call(["datasets": datasets]), context: context) == .satisfied("all 1 datasets exist with their properties"))
    }

    @Test func pruneKeepsTheNewestAndTheReplicasBaseAndDestroysTheRest() async throws {
        let lab = try await ZFSHostLab.start(seed: true, replica: true)
        defer { lab.fixture.stopInBackground() }
        let zfs = ZFSTransport(shell: LiveRemoteShell(), backups: MemoryBackupStore())
        let context = RecordingContext()
        // A snapshot the replica does not have yet: its newest common one is the seeded 0300.
        _ = try await ZFSSnapshot(zfs).run(lab.call(["datasets": Self.immich]), context: context)
        let outputs = try await ZFSPrune(zfs).run(lab.call(["datasets": Self.immich, "keep": .int(1)]), context: context)
        let doomed = ZFSHostLab.seededSnapshots.prefix(3).map { Value.string("tank/apps/immich@\($0)") }
        #expect(outputs["destroyed"] == .list(Array(doomed)))
        #expect(
            try await lab.list("tank/apps/immich", type: "snapshot") == [
                "tank/apps/immich@\(ZFSHostLab.seededSnapshots[3])", "tank/apps/immich@homelab-2026-12-07-0000",
            ])
        // The replica still takes the incremental from the base that was spared.
        let replicated = try await ZFSReplicate(zfs).run(lab.call(["datasets": Self.immich]), context: context)
        #expect(replicated["replicated"] == .list([Self.replicated("incremental", "homelab-2026-12-07-0000")]))
        #expect(
            try await ZFSPrune(zfs).probe(lab.call(["datasets": Self.immich, "keep": .int(2)]), context: context)
                == .satisfied("no snapshot beyond the ones kept"))
    }

    // MARK: helpers

    /// `zfs destroy -r`, again while zfs-fuse says the mount is busy (a file just written or
    /// read through FUSE can hold it for a moment), within a generous bound.
    static func destroy(_ lab: ZFSHostLab, _ dataset: String) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            let result = try await lab.run("zfs destroy -r \(ZFSHostLab.quoted(dataset))")
            if result.status.succeeded { return }
            guard result.stderrText.contains("busy"), ContinuousClock.now < deadline else {
                throw ZFSHostLab.Failure.commandFailed("zfs destroy -r \(dataset)", status: result.status, stderr: result.stderrText)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    static func replicated(_ mode: String, _ snapshot: String) -> Value {
        .map([("dataset", .string("tank/apps/immich")), ("replica", .string("backup/apps/immich")), ("snapshot", .string(snapshot)), ("mode", .string(mode))])
    }

    static func cloud(_ inputs: [String: Value]) -> [String: Value] {
        inputs.merging(
            [
                "cloud": .map([
                    ("endpoint", .string("memory")), ("region", .string("lab")), ("bucket", .string("homelab-backups")), ("prefix", .string("homelab/")),
                ]),
                "access-key": .string("access"), "secret-key": .string("secret"), "encryption-key": .string("key"),
            ], uniquingKeysWith: { $1 })
    }

    /// Uploads the seeded dataset's newest snapshot in full, then `incrementals` new snapshots,
    /// each after a write and each uploaded incrementally.
    static func uploadChain(_ lab: ZFSHostLab, _ zfs: ZFSTransport, _ context: RecordingContext, incrementals: Int) async throws {
        let full = try await ZFSUpload(zfs).run(lab.call(cloud(["datasets": immich])), context: context)
        guard case .list(let items)? = full["uploaded"], case .map(let item)? = items.first else { throw ActionError("no upload: \(full)") }
        #expect(item.first { $0.0 == "mode" }?.1 == .string("full"))
        for index in 1...max(1, incrementals) where index <= incrementals {
            try await lab.shell("head -c \(index * 40_000) /dev/urandom > \(lab.mountRoot)/tank/apps/immich/step-\(index).bin")
            _ = try await ZFSSnapshot(zfs).run(lab.call(["datasets": immich, "name": .string("homelab-2026-12-02-000\(index)")]), context: context)
            let next = try await ZFSUpload(zfs).run(lab.call(cloud(["datasets": immich])), context: context)
            guard case .list(let items)? = next["uploaded"], case .map(let item)? = items.first else { throw ActionError("no upload: \(next)") }
            #expect(item.first { $0.0 == "mode" }?.1 == .string("incremental"))
        }
    }
}

extension ZFSHostLab {
    func call(_ inputs: [String: Value]) -> ActionCall {
        ActionCall(step: "zfs", inputs: inputs.merging(["host": inventoryEntry], uniquingKeysWith: { $1 }))
    }
}

/// Fires once; `wait` returns once it has.
final class Signal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func fire() {
        let ready = lock.withLock {
            fired = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in ready { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock {
                if fired { return true }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}

/// A RecordingContext a test can wait on: `waitFor` returns once a message containing the text
/// has been reported.
final class WaitingContext: ActionContext, @unchecked Sendable {
    let virtualClock = VirtualClock()
    var clock: any RunClock { virtualClock }
    private let lock = NSLock()
    private var messages: [String] = []
    private var waiters: [(String, CheckedContinuation<Void, Never>)] = []

    func report(_ message: String) {
        let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
            messages.append(message)
            let ready = waiters.filter { message.contains($0.0) }.map(\.1)
            waiters.removeAll { message.contains($0.0) }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    func approve(_ message: String) async throws -> String { throw ActionError("nobody to ask in tests") }

    func waitFor(_ text: String) async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock {
                if messages.contains(where: { $0.contains(text) }) { return true }
                waiters.append((text, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}
