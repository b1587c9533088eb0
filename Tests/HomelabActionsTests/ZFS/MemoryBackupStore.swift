import Foundation
import HomelabActions
import HomelabCore

/// An in-memory cloud tier: objects kept as chunks, each with its own digest, so a download
/// refuses a tampered chunk before passing it on and a short object at its end, like the live
/// store (docs/backup-format.md). Tests tamper with it, truncate it, or make a download stall.
final class MemoryBackupStore: BackupStore, BackupStoreOpening, @unchecked Sendable {
    struct Tampered: Error, CustomStringConvertible {
        let object: String
        var description: String { "chunk of \(object) failed authentication" }
    }

    struct Truncated: Error, CustomStringConvertible {
        let object: String
        var description: String { "\(object) is shorter than its manifest says" }
    }

    private let lock = NSLock()
    private var objects: [String: [[UInt8]]] = [:]
    private var digests: [String: [UInt64]] = [:]
    private var stored: [BackupManifest] = []
    /// Downloads of this object stop after handing over half of it and wait until cancelled.
    var stallOn: String?
    /// Called once a stalled download is waiting.
    var onStall: (@Sendable () -> Void)?
    private(set) var opened: [CloudTarget] = []

    func open(_ cloud: CloudTarget, context: any ActionContext) async throws -> any BackupStore {
        lock.withLock { opened.append(cloud) }
        return self
    }

    func upload(
        _ stream: AsyncThrowingStream<[UInt8], any Error>, of snapshot: BackupSnapshot, progress: @escaping @Sendable (Int64) -> Void
    ) async throws -> BackupManifest {
        var chunks: [[UInt8]] = []
        var size: Int64 = 0
        var whole = FNV()
        for try await chunk in stream {
            chunks.append(chunk)
            size += Int64(chunk.count)
            whole.add(chunk)
            progress(size)
        }
        let object = "\(snapshot.dataset)/\(snapshot.snapshot).zstream"
        let manifest = BackupManifest(
            dataset: snapshot.dataset, snapshot: snapshot.snapshot, guid: snapshot.guid, baseSnapshot: snapshot.baseSnapshot,
            baseGuid: snapshot.baseGuid, created: snapshot.created, size: size, sha256: String(whole.value, radix: 16), object: object)
        lock.withLock {
            objects[object] = chunks
            digests[object] = chunks.map {
                var hash = FNV()
                hash.add($0)
                return hash.value
            }
            stored.removeAll { $0.dataset == snapshot.dataset && $0.snapshot == snapshot.snapshot }
            stored.append(manifest)
        }
        return manifest
    }

    func manifests(dataset: String) async throws -> [BackupManifest] {
        lock.withLock { stored.filter { $0.dataset == dataset } }
    }

    func download(
        _ manifest: BackupManifest, to sink: @escaping @Sendable ([UInt8]) async throws -> Void, progress: @escaping @Sendable (Int64) -> Void
    ) async throws {
        let (chunks, sums, stall) = lock.withLock { (objects[manifest.object] ?? [], digests[manifest.object] ?? [], stallOn == manifest.object) }
        var passed: Int64 = 0
        for (index, chunk) in chunks.enumerated() {
            var hash = FNV()
            hash.add(chunk)
            guard index < sums.count, hash.value == sums[index] else { throw Tampered(object: manifest.object) }
            if stall && passed + Int64(chunk.count) > manifest.size / 2 {
                // Half the stream has gone into `zfs receive`; then nothing more, as if the
                // network stalled, until the restore is cancelled.
                try await sink(Array(chunk.prefix(Int(manifest.size / 2 - passed) + 1)))
                onStall?()
                while true { try await Task.sleep(for: .seconds(3600)) }
            }
            try await sink(chunk)
            passed += Int64(chunk.count)
            progress(passed)
        }
        guard passed == manifest.size else { throw Truncated(object: manifest.object) }
    }

    /// Deleting fails at this object deletion (1-based; a snapshot's manifest and its stream
    /// count one each), as if the prune were killed there; the ones before it are done.
    var failDeletionAt: Int?
    private var deletionCount = 0
    /// What was deleted, in order: `manifest dataset@snapshot` or `object KEY`.
    private(set) var deletions: [String] = []

    struct Killed: Error, CustomStringConvertible {
        var description: String { "the prune was killed mid-way (a test double's injected failure)" }
    }

    func delete(_ manifest: BackupManifest) async throws {
        try lock.withLock {
            // The manifest first, then the stream, as the live store does.
            try deletion("manifest \(manifest.dataset)@\(manifest.snapshot)")
            stored.removeAll { $0.dataset == manifest.dataset && $0.snapshot == manifest.snapshot }
            try deletion("object \(manifest.object)")
            objects[manifest.object] = nil
            digests[manifest.object] = nil
        }
    }

    private func deletion(_ what: String) throws {
        deletionCount += 1
        if deletionCount == failDeletionAt { throw Killed() }
        deletions.append(what)
    }

    /// When the stray objects were written, as the bucket would say (long ago by default).
    var strayModified: Date? = Date(timeIntervalSince1970: 0)

    func strays(dataset: String) async throws -> [BackupStray] {
        lock.withLock {
            let named = Set(stored.map(\.object))
            return objects.keys.sorted().filter { $0.hasPrefix(dataset + "/") && !named.contains($0) }.map { key in
                BackupStray(
                    object: key, snapshot: String(key.dropFirst(dataset.count + 1).dropLast(".zstream".count)),
                    size: Int64(objects[key]?.reduce(0) { $0 + $1.count } ?? 0), modified: strayModified)
            }
        }
    }

    func delete(stray: BackupStray) async throws {
        try lock.withLock {
            try deletion("object \(stray.object)")
            objects[stray.object] = nil
            digests[stray.object] = nil
        }
    }

    /// Stream objects kept, by key.
    var objectKeys: [String] { lock.withLock { objects.keys.sorted() } }

    // MARK: what tests do to the bucket

    var all: [BackupManifest] { lock.withLock { stored } }

    /// Flips one byte in the middle of the object (its chunk's digest no longer matches).
    func tamper(_ object: String) {
        lock.withLock {
            guard var chunks = objects[object], !chunks.isEmpty else { return }
            let index = chunks.count / 2
            chunks[index][chunks[index].count / 2] ^= 0x5A
            objects[object] = chunks
        }
    }

    /// Drops the object's last chunk (and its digest), as an interrupted upload would leave it.
    func truncate(_ object: String) {
        lock.withLock {
            objects[object]?.removeLast()
            digests[object]?.removeLast()
        }
    }

    func remove(_ snapshot: String, of dataset: String) {
        lock.withLock { stored.removeAll { $0.dataset == dataset && $0.snapshot == snapshot } }
    }

    /// Puts a manifest as another uploader would have (for chain selection tests).
    func add(_ manifest: BackupManifest, bytes: [UInt8] = []) {
        lock.withLock {
            stored.append(manifest)
            objects[manifest.object] = bytes.isEmpty ? [] : [bytes]
            digests[manifest.object] =
                bytes.isEmpty
                ? []
                : [
                    {
                        var hash = FNV()
                        hash.add(bytes)
                        return hash.value
                    }()
                ]
        }
    }
}

/// FNV-1a, 64 bits: a double's digest, not a security claim.
struct FNV {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x100_0000_01b3
        }
    }
}
