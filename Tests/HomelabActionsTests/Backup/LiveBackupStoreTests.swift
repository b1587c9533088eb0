import Crypto
import Synchronization
import Testing

@testable import HomelabActions

/// The store's logic over the in-memory bucket; the same against a real S3 server is in
/// LiveBackupStoreS3Tests.
struct LiveBackupStoreTests {
    let key = try! BackupKey(hex: String(repeating: "0f", count: 32))
    let snapshot = BackupSnapshot(dataset: "tank/apps/immich", snapshot: "homelab-2026-12-01-0300", guid: "111", created: 1_796_094_000)

    func store(_ s3: InMemoryS3Client, key: BackupKey? = nil) -> LiveBackupStore {
        LiveBackupStore(client: s3, prefix: "backups/", key: key ?? self.key, chunkSize: 1000, partSize: 4096)
    }

    static func stream(_ bytes: [UInt8], piece: Int = 777) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            for start in stride(from: 0, to: bytes.count, by: piece) { continuation.yield(Array(bytes[start..<min(start + piece, bytes.count)])) }
            continuation.finish()
        }
    }

    static func plain(_ count: Int, seed: UInt8 = 3) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) } }

    func download(_ store: LiveBackupStore, _ manifest: BackupManifest) async throws -> [UInt8] {
        let received = Received()
        try await store.download(manifest, to: { received.add($0) }, progress: { _ in })
        return received.bytes
    }

    /// Deleting a snapshot removes its manifest, then its stream; a stream whose manifest is gone
    /// is a stray, listed with its age; a child dataset's objects are not this one's.
    @Test func deleteTakesTheManifestFirstAndAStreamLeftAloneIsAStray() async throws {
        let s3 = InMemoryS3Client()
        let first = try await store(s3).upload(Self.stream(Self.plain(3000)), of: snapshot, progress: { _ in })
        var second = snapshot
        second.snapshot = "homelab-2026-12-02-0300"
        second.guid = "222"
        let kept = try await store(s3).upload(Self.stream(Self.plain(2000)), of: second, progress: { _ in })
        var child = snapshot
        child.dataset = "tank/apps/immich/thumbs"
        _ = try await store(s3).upload(Self.stream(Self.plain(1000)), of: child, progress: { _ in })
        #expect(try await store(s3).strays(dataset: "tank/apps/immich").isEmpty)

        try await store(s3).delete(first)
        #expect(s3.calls.suffix(2) == ["DELETE backups/tank/apps/immich/homelab-2026-12-01-0300.manifest", "DELETE \(first.object)"])
        #expect(try await store(s3).manifests(dataset: "tank/apps/immich") == [kept])
        #expect(s3.object(first.object) == nil)
        // Deleting again: what is gone is not an error.
        try await store(s3).delete(first)

        // A delete killed between the two: the stream stays, named by no manifest.
        try await s3.deleteObject(store(s3).manifestKey(dataset: "tank/apps/immich", snapshot: kept.snapshot))
        let strays = try await store(s3).strays(dataset: "tank/apps/immich")
        #expect(strays.map(\.object) == [kept.object])
        #expect(strays.first?.snapshot == kept.snapshot)
        #expect(strays.first?.size == Int64(s3.object(kept.object)?.count ?? -1))
        #expect(strays.first?.modified != nil)
        try await store(s3).delete(stray: strays[0])
        #expect(s3.keys.filter { $0.hasPrefix("backups/tank/apps/immich/homelab") }.isEmpty)
    }

    @Test func aStreamGoesUpInPartsAndComesBackWhole() async throws {
        let s3 = InMemoryS3Client()
        let plain = Self.plain(20_000)
        let seen = Mutex<Int64>(0)
        let manifest = try await store(s3).upload(Self.stream(plain), of: snapshot, progress: { size in seen.withLock { $0 = size } })
        #expect(manifest.size == 20_000)
        #expect(manifest.sha256 == BackupFormat.hex(SHA256.hash(data: plain)))
        #expect(manifest.object == "backups/tank/apps/immich/homelab-2026-12-01-0300.zstream")
        #expect(seen.withLock { $0 } == 20_000)
        #expect(s3.keys == ["backups/tank/apps/immich/homelab-2026-12-01-0300.manifest", manifest.object])
        #expect(s3.calls.filter { $0.hasPrefix("UploadPart") }.count > 1)
        #expect(try await download(store(s3), manifest) == plain)
        // Nothing of the plain stream is in the bucket.
        let stored = s3.object(manifest.object)!
        #expect(!(0...(stored.count - 16)).contains { Array(stored[$0..<$0 + 16]) == Array(plain[5000..<5016]) })
    }

    @Test func manifestsAreListedOldestFirstAndOnlyForTheirDataset() async throws {
        let s3 = InMemoryS3Client(pageSize: 2)
        let store = store(s3)
        for (name, created) in [("homelab-2026-12-03-0300", 3), ("homelab-2026-12-01-0300", 1), ("homelab-2026-12-02-0300", 2)] {
            let snap = BackupSnapshot(dataset: "tank/apps/immich", snapshot: name, guid: "\(created)", created: Int64(created))
            _ = try await store.upload(Self.stream(Self.plain(10)), of: snap, progress: { _ in })
        }
        let child = BackupSnapshot(dataset: "tank/apps/immich/db", snapshot: "homelab-2026-12-04-0300", guid: "9", created: 4)
        _ = try await store.upload(Self.stream(Self.plain(10)), of: child, progress: { _ in })
        let listed = try await store.manifests(dataset: "tank/apps/immich")
        #expect(listed.map(\.snapshot) == ["homelab-2026-12-01-0300", "homelab-2026-12-02-0300", "homelab-2026-12-03-0300"])
        #expect(try await store.manifests(dataset: "tank/apps/immich/db").map(\.guid) == ["9"])
        #expect(try await store.manifests(dataset: "tank/other").isEmpty)
    }

    @Test func aManifestCopiedIntoAnotherDatasetIsRefused() async throws {
        let s3 = InMemoryS3Client()
        let manifest = try await store(s3).upload(Self.stream(Self.plain(10)), of: snapshot, progress: { _ in })
        s3.setObject("backups/tank/other/homelab-2026-12-01-0300.manifest", s3.object(manifest.object.replacingManifest)!)
        await #expect { try await store(s3).manifests(dataset: "tank/other") } throws: { ($0 as? BackupStoreError)?.kind == .tampered }
    }

    @Test func aTamperedObjectIsRefusedAndItsBadChunkNeverReachesTheSink() async throws {
        let s3 = InMemoryS3Client()
        let plain = Self.plain(5000)
        let manifest = try await store(s3).upload(Self.stream(plain), of: snapshot, progress: { _ in })
        var object = s3.object(manifest.object)!
        object[BackupFormat.headerSize + 1016 * 2 + 10] ^= 0x80
        s3.setObject(manifest.object, object)
        let received = Received()
        await #expect { try await store(s3).download(manifest, to: { received.add($0) }, progress: { _ in }) } throws: {
            ($0 as? BackupStoreError)?.kind == .tampered
        }
        // Authenticated chunks before the bad one may have gone on; nothing from chunk 2 did.
        let handed = received.bytes
        #expect(handed.count <= 2000)
        #expect(plain.starts(with: handed))
    }

    @Test func aTruncatedObjectIsRefusedBeforeAnyByte() async throws {
        let s3 = InMemoryS3Client()
        let manifest = try await store(s3).upload(Self.stream(Self.plain(5000)), of: snapshot, progress: { _ in })
        s3.setObject(manifest.object, Array(s3.object(manifest.object)!.prefix(BackupFormat.headerSize + 1016 * 3)))
        let received = Received()
        await #expect { try await store(s3).download(manifest, to: { received.add($0) }, progress: { _ in }) } throws: {
            ($0 as? BackupStoreError)?.kind == .truncated
        }
        #expect(received.bytes.isEmpty)
    }

    @Test func aWrongKeyIsRefusedForManifestsAndStreams() async throws {
        let s3 = InMemoryS3Client()
        let manifest = try await store(s3).upload(Self.stream(Self.plain(5000)), of: snapshot, progress: { _ in })
        let other = store(s3, key: try BackupKey(hex: String(repeating: "a5", count: 32)))
        await #expect { try await other.manifests(dataset: snapshot.dataset) } throws: { ($0 as? BackupStoreError)?.kind == .wrongKey }
        let received = Received()
        await #expect { try await other.download(manifest, to: { received.add($0) }, progress: { _ in }) } throws: {
            ($0 as? BackupStoreError)?.kind == .wrongKey
        }
        #expect(received.bytes.isEmpty)
    }

    @Test func aMissingObjectIsNamed() async throws {
        let s3 = InMemoryS3Client()
        let manifest = try await store(s3).upload(Self.stream(Self.plain(10)), of: snapshot, progress: { _ in })
        try await s3.deleteObject(manifest.object)
        let error = await #expect(throws: BackupStoreError.self) { _ = try await download(store(s3), manifest) }
        #expect(error?.kind == .missingObject)
        #expect(error?.object == manifest.object)
    }

    @Test func aFailingStreamAbortsTheUploadAndWritesNoManifest() async throws {
        let s3 = InMemoryS3Client()
        struct SendDied: Error {}
        let failing = AsyncThrowingStream<[UInt8], any Error> { continuation in
            continuation.yield(Self.plain(9000))
            continuation.finish(throwing: SendDied())
        }
        await #expect(throws: SendDied.self) { _ = try await store(s3).upload(failing, of: snapshot, progress: { _ in }) }
        #expect(s3.keys.isEmpty)
        #expect(s3.openUploads == 0)
    }
}

/// What a sink was handed, in order.
final class Received: Sendable {
    private let state = Mutex<[UInt8]>([])
    func add(_ bytes: [UInt8]) { state.withLock { $0 += bytes } }
    var bytes: [UInt8] { state.withLock { $0 } }
}

extension String {
    fileprivate var replacingManifest: String { String(dropLast(".zstream".count)) + ".manifest" }
}
