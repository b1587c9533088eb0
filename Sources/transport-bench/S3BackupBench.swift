import Foundation
import HomelabActions
import HomelabTransport

/// `transport-bench s3-backup --endpoint URL --region R --bucket B --size BYTES [--prefix P]`:
/// uploads a generated stream of BYTES through LiveBackupStore (encrypted, multipart), then
/// downloads it (the store verifies it against its manifest), and prints {"bytes", "upload_seconds", "download_seconds",
/// "upload_mbps", "download_mbps", "verified"} (MB = 10^6 bytes). The access key, its secret and
/// the backup key come from the environment (HOMELAB_BENCH_S3_ACCESS_KEY, _SECRET_KEY,
/// HOMELAB_BENCH_BACKUP_KEY), never from the command line. The stream is made piece by piece as
/// it is sent, so memory shows what the store holds, not the stream.
enum S3BackupBench {
    static func run(_ arguments: [String]) async -> Int32 {
        var options: [String: String] = [:]
        var index = 0
        while index + 1 < arguments.count, arguments[index].hasPrefix("--") {
            options[String(arguments[index].dropFirst(2))] = arguments[index + 1]
            index += 2
        }
        let environment = ProcessInfo.processInfo.environment
        guard index == arguments.count, let url = options["endpoint"], let region = options["region"], let bucket = options["bucket"],
            let size = options["size"].flatMap({ Int64($0) }), let accessKey = environment["HOMELAB_BENCH_S3_ACCESS_KEY"],
            let secretKey = environment["HOMELAB_BENCH_S3_SECRET_KEY"], let keyHex = environment["HOMELAB_BENCH_BACKUP_KEY"]
        else {
            FileHandle.standardError.write(
                Data("usage: transport-bench s3-backup --endpoint URL --region R --bucket B --size BYTES [--prefix P] (keys in the environment)\n".utf8))
            return 2
        }
        do {
            let endpoint = S3Endpoint(
                url: url, region: region, bucket: bucket, credentials: S3Credentials(accessKey: accessKey, secretKey: secretKey))
            let client = LiveS3Client(http: try HTTPClient(configuration: LiveS3Client.httpConfiguration()), endpoint: endpoint)
            let store = LiveBackupStore(client: client, prefix: options["prefix"] ?? "bench/", key: try BackupKey(hex: keyHex))
            let snapshot = BackupSnapshot(dataset: "tank/bench", snapshot: "homelab-2026-12-01-0300", guid: "1", created: 0)
            let clock = ContinuousClock()

            let started = clock.now
            let manifest = try await store.upload(generated(size), of: snapshot, progress: { _ in })
            let uploaded = clock.now - started

            // The store checks size and SHA-256 against the manifest itself (it throws otherwise), so
            // the sink only counts, as curl's -o /dev/null does.
            let counter = ByteCounter()
            let again = clock.now
            try await store.download(manifest, to: { counter.add($0.count) }, progress: { _ in })
            let downloaded = clock.now - again

            try await client.deleteObject(manifest.object)
            try await client.deleteObject(store.manifestKey(dataset: snapshot.dataset, snapshot: snapshot.snapshot))
            let up = seconds(uploaded)
            let down = seconds(downloaded)
            print(
                "{\"bytes\": \(size), \"upload_seconds\": \(String(format: "%.3f", up)), \"download_seconds\": \(String(format: "%.3f", down)), "
                    + "\"upload_mbps\": \(String(format: "%.1f", Double(size) / up / 1e6)), \"download_mbps\": \(String(format: "%.1f", Double(size) / down / 1e6)), "
                    + "\"verified\": \(counter.count == size)}")
            return 0
        } catch {
            FileHandle.standardError.write(Data("s3-backup: \(error)\n".utf8))
            return 1
        }
    }

    /// `size` bytes in 1 MiB pieces, made as they are asked for.
    static func generated(_ size: Int64) -> AsyncThrowingStream<[UInt8], any Error> {
        let generator = Generator(size: size)
        return AsyncThrowingStream { generator.next() }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Bytes handed over by the download.
final class ByteCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total: Int64 = 0
    func add(_ count: Int) { lock.withLock { total += Int64(count) } }
    var count: Int64 { lock.withLock { total } }
}

/// Pseudo-random pieces (xorshift): fast, incompressible, never held whole. The stream asks for
/// one piece at a time, from one task, so its state needs no lock.
final class Generator: @unchecked Sendable {
    private var left: Int64
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    init(size: Int64) { left = size }

    func next() -> [UInt8]? {
        guard left > 0 else { return nil }
        let count = Int(min(left, 1 << 20))
        left -= Int64(count)
        var piece = [UInt8](repeating: 0, count: count)
        piece.withUnsafeMutableBytes { raw in
            for offset in stride(from: 0, to: count - 7, by: 8) {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                raw.storeBytes(of: state, toByteOffset: offset, as: UInt64.self)
            }
        }
        return piece
    }
}
