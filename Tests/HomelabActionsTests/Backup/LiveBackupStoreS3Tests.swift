import Crypto
import Foundation
import LabSupport
import Testing

@testable import HomelabActions

/// The backup store against a real S3 server (moto): multi-part streams, damage done with plain
/// S3 calls, and the docs' decrypt script reading what the store wrote.
@Suite(.serialized) struct LiveBackupStoreS3Tests {
    static let keyHex = "4f1c2e8a9b7d6c5e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e"
    let key = try! BackupKey(hex: LiveBackupStoreS3Tests.keyHex)

    func snapshot(_ name: String = "homelab-2026-12-01-0300") -> BackupSnapshot {
        BackupSnapshot(dataset: "tank/apps/immich", snapshot: name, guid: "1234567890123456789", created: 1_796_094_000)
    }

    func upload(_ store: LiveBackupStore, _ bytes: [UInt8]) async throws -> BackupManifest {
        try await store.upload(LiveBackupStoreTests.stream(bytes, piece: 128 * 1024 + 3), of: snapshot(), progress: { _ in })
    }

    /// A store over moto with 1 MiB chunks; parts of 5 MiB (S3's smallest) so a few MiB make several.
    func store(_ client: LiveS3Client, prefix: String, key: BackupKey? = nil) -> LiveBackupStore {
        LiveBackupStore(client: client, prefix: prefix, key: key ?? self.key, partSize: 5 << 20)
    }

    @Test func aMultiMegabyteStreamComesBackBitForBit() async throws {
        let client = try await MotoS3.client()
        let prefix = MotoS3.prefix("roundtrip")
        let plain = MotoS3.bytes(12 << 20 + 777)
        let manifest = try await upload(store(client, prefix: prefix), plain)
        #expect(manifest.object == "\(prefix)tank/apps/immich/homelab-2026-12-01-0300.zstream")
        #expect(manifest.sha256 == BackupFormat.hex(SHA256.hash(data: plain)))
        let stored = try await client.headObject(manifest.object).contentLength
        #expect(stored == BackupFormat.objectLength(plainSize: Int64(plain.count), chunkSize: 1 << 20))

        let listed = try await store(client, prefix: prefix).manifests(dataset: "tank/apps/immich")
        #expect(listed == [manifest])
        let hasher = HashingSink()
        try await store(client, prefix: prefix).download(listed[0], to: { hasher.add($0) }, progress: { _ in })
        #expect(hasher.count == Int64(plain.count))
        #expect(hasher.hex == manifest.sha256)
    }

    @Test func aTamperedObjectIsRefusedAndItsBadChunkNeverReachesTheSink() async throws {
        let client = try await MotoS3.client()
        let prefix = MotoS3.prefix("tampered")
        let plain = MotoS3.bytes(3 << 20 + 5)
        let manifest = try await upload(store(client, prefix: prefix), plain)
        var object: [UInt8] = try await client.getObject(manifest.object)
        object[BackupFormat.headerSize + (1 << 20 + 16) + 4242] ^= 0x20  // inside chunk 1
        try await client.putObject(manifest.object, bytes: object)

        let received = Received()
        let error = await #expect(throws: BackupStoreError.self) {
            try await store(client, prefix: prefix).download(manifest, to: { received.add($0) }, progress: { _ in })
        }
        #expect(error?.kind == .tampered)
        #expect(error?.message.contains("chunk 1") == true)
        #expect(received.bytes.count <= 1 << 20)
        #expect(plain.starts(with: received.bytes))
    }

    @Test func aTruncatedObjectIsRefusedBeforeAnyByte() async throws {
        let client = try await MotoS3.client()
        let prefix = MotoS3.prefix("truncated")
        let manifest = try await upload(store(client, prefix: prefix), MotoS3.bytes(3 << 20 + 5))
        let object: [UInt8] = try await client.getObject(manifest.object)
        try await client.putObject(manifest.object, bytes: Array(object.prefix(BackupFormat.headerSize + 2 * (1 << 20 + 16))))
        let received = Received()
        let error = await #expect(throws: BackupStoreError.self) {
            try await store(client, prefix: prefix).download(manifest, to: { received.add($0) }, progress: { _ in })
        }
        #expect(error?.kind == .truncated)
        #expect(received.bytes.isEmpty)
    }

    @Test func aWrongKeyIsRefusedBeforeAnyByte() async throws {
        let client = try await MotoS3.client()
        let prefix = MotoS3.prefix("wrongkey")
        let manifest = try await upload(store(client, prefix: prefix), MotoS3.bytes(2 << 20))
        let other = store(client, prefix: prefix, key: try BackupKey(hex: String(repeating: "5a", count: 32)))
        let listing = await #expect(throws: BackupStoreError.self) { _ = try await other.manifests(dataset: "tank/apps/immich") }
        #expect(listing?.kind == .wrongKey)
        let received = Received()
        let error = await #expect(throws: BackupStoreError.self) { try await other.download(manifest, to: { received.add($0) }, progress: { _ in }) }
        #expect(error?.kind == .wrongKey)
        #expect(received.bytes.isEmpty)
    }

    @Test func theStoreMadeFromPolicyValuesReadsWhatWasUploaded() async throws {
        let lab = try await MotoS3.shared.lab()
        let prefix = MotoS3.prefix("policy")
        let store = try LiveBackupStore.live(
            endpoint: lab.endpoint, region: lab.region, bucket: lab.bucket, prefix: prefix, accessKey: lab.accessKey,
            secretKey: lab.secretKey, encryptionKeyHex: Self.keyHex)
        let plain = MotoS3.bytes(70_000)
        let manifest = try await store.upload(LiveBackupStoreTests.stream(plain), of: snapshot(), progress: { _ in })
        let received = Received()
        try await store.download(try await store.manifests(dataset: "tank/apps/immich")[0], to: { received.add($0) }, progress: { _ in })
        #expect(received.bytes == plain)
        #expect(manifest.object.hasPrefix(prefix))
        #expect(throws: BackupStoreError.self) {
            _ = try LiveBackupStore.live(
                endpoint: lab.endpoint, region: lab.region, bucket: lab.bucket, prefix: prefix, accessKey: lab.accessKey,
                secretKey: lab.secretKey, encryptionKeyHex: "not-a-key")
        }
    }

    @Test func aMissingObjectIsNamed() async throws {
        let client = try await MotoS3.client()
        let prefix = MotoS3.prefix("missing")
        let manifest = try await upload(store(client, prefix: prefix), MotoS3.bytes(1000))
        try await client.deleteObject(manifest.object)
        let error = await #expect(throws: BackupStoreError.self) {
            try await store(client, prefix: prefix).download(manifest, to: { _ in }, progress: { _ in })
        }
        #expect(error?.kind == .missingObject)
    }

    @Test func theDocsScriptDecryptsWhatTheStoreUploaded() async throws {
        let client = try await MotoS3.client()
        let prefix = MotoS3.prefix("docs-script")
        let plain = MotoS3.bytes(5 << 20 + 99)
        let manifest = try await upload(store(client, prefix: prefix), plain)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-decrypt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let objectFile = folder.appendingPathComponent("object.zstream")
        let manifestFile = folder.appendingPathComponent("object.manifest")
        let keyFile = folder.appendingPathComponent("backup.key")
        try Data(try await client.getObject(manifest.object) as [UInt8]).write(to: objectFile)
        let manifestKey = store(client, prefix: prefix).manifestKey(dataset: manifest.dataset, snapshot: manifest.snapshot)
        try Data(try await client.getObject(manifestKey) as [UInt8]).write(to: manifestFile)
        // The key goes in a file: never on a command line.
        try Data(Self.keyHex.utf8).write(to: keyFile, options: .withoutOverwriting)

        let decrypted = try await Self.runScript(["@" + keyFile.path, objectFile.path, manifestFile.path])
        #expect(decrypted.status == 0, "\(decrypted.stderr)")
        #expect(decrypted.stdout.count == plain.count)
        #expect(SHA256.hash(data: decrypted.stdout) == SHA256.hash(data: plain))

        // And it refuses a damaged object, as the store does.
        var object = try Data(contentsOf: objectFile)
        object[object.count - 5] ^= 1
        try object.write(to: objectFile)
        let refused = try await Self.runScript(["@" + keyFile.path, objectFile.path, manifestFile.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("failed authentication"))
    }

    struct ScriptRun: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    static func runScript(_ arguments: [String]) async throws -> ScriptRun {
        try await offCooperativePool {
            let process = Process()
            let python = LabFixture.python
            process.executableURL = URL(fileURLWithPath: python)
            let script = LabFixture.repositoryRoot.appendingPathComponent("docs/decrypt-backup.py").path
            process.arguments = (python == "/usr/bin/env" ? ["python3"] : []) + [script] + arguments
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // Read both pipes while it runs: megabytes of output would fill a pipe and stall it.
            let errorText = ReadBox()
            let read = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                errorText.data = errors.fileHandleForReading.readDataToEndOfFile()
                read.signal()
            }
            let stdout = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            read.wait()
            return ScriptRun(status: process.terminationStatus, stdout: Array(stdout), stderr: String(decoding: errorText.data, as: UTF8.self))
        }
    }
}

/// stderr gathered on a thread of its own; the semaphore orders its write before the read.
final class ReadBox: @unchecked Sendable {
    var data = Data()
}

/// Hashes what a sink is handed without keeping it.
final class HashingSink: @unchecked Sendable {
    private let lock = NSLock()
    private var hasher = SHA256()
    private var total: Int64 = 0
    func add(_ bytes: [UInt8]) {
        lock.withLock {
            hasher.update(data: bytes)
            total += Int64(bytes.count)
        }
    }
    var count: Int64 { lock.withLock { total } }
    var hex: String { lock.withLock { BackupFormat.hex(hasher.finalize()) } }
}
