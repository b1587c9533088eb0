import Foundation
import HomelabTransport
import LabSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A real sshd from lab/fixtures/sshd_fixture.py, and the client configurations tests need.
final class SSHLab: @unchecked Sendable {
    let fixture: LabFixture

    private init(fixture: LabFixture) {
        self.fixture = fixture
    }

    static func start(agent: Bool = true) async throws -> SSHLab {
        SSHLab(fixture: try await LabFixture.start("sshd_fixture.py", agent ? [] : ["--no-agent"]))
    }

    var host: String { fixture.string("host") }
    var port: Int { fixture.int("port") }
    var user: String { fixture.string("user") }
    var directory: String { fixture.string("dir") }
    var passphrase: String { fixture.string("passphrase") }

    func key(_ kind: String) -> String { (fixture.info["keys"] as? [String: Any])?[kind] as? String ?? "" }

    func hostFingerprints() -> Set<String> {
        Set(((fixture.info["host_fingerprints"] as? [String: Any]) ?? [:]).values.compactMap { $0 as? String })
    }

    func wrongFingerprints() -> Set<String> {
        Set(((fixture.info["wrong_fingerprints"] as? [String: Any]) ?? [:]).values.compactMap { $0 as? String })
    }

    func configuration(
        _ credentials: [SSHCredential]? = nil, knownHosts: String? = nil,
        policy: SSHHostKeyPolicy = .strict
    ) -> SSHConfiguration {
        SSHConfiguration(
            host: host, port: port, user: user,
            credentials: credentials ?? [.privateKey(path: key("ed25519"))],
            knownHostsPath: knownHosts ?? fixture.string("known_hosts"),
            hostKeyPolicy: policy, connectTimeout: .seconds(30))
    }

    func connect(_ credentials: [SSHCredential]? = nil) async throws -> SSHClient {
        try await SSHClient.connect(configuration(credentials))
    }

    /// A path in the fixture's scratch directory that does not exist yet.
    func freshPath(_ name: String) -> String { "\(directory)/\(name)-\(UUID().uuidString)" }

    /// Kills (SIGKILL) every process under the fixture's sshd: the per-connection sshd processes
    /// and the commands they run, so live connections drop as if the server crashed.
    func killConnections() {
        let root = Int32(fixture.int("pid"))
        var parents: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, let parent = Int32(fields[1]) { parents[pid] = parent }
        }
        func isDescendant(_ pid: Int32) -> Bool {
            var current = parents[pid]
            while let parent = current, parent > 1 {
                if parent == root { return true }
                current = parents[parent]
            }
            return false
        }
        for pid in parents.keys where isDescendant(pid) { kill(pid, SIGKILL) }
    }
}

/// Hashes whatever a remote command writes, as it arrives.
final class HashingSink: SSHOutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private let hasher = StreamingSHA256()
    private var total = 0

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        lock.withLock {
            hasher.update(bytes)
            total += bytes.count
        }
    }

    var count: Int { lock.withLock { total } }
    func finish() -> [UInt8] { lock.withLock { hasher.finish() } }
}

/// `count` chunks of one pseudo-random 1 MiB block, each stamped with its index (so lost or
/// reordered chunks change the digest), hashed as they are produced.
struct GeneratedChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let count: Int?
    let block: [UInt8]
    let hasher: HashingSink

    init(count: Int?, hasher: HashingSink = HashingSink()) {
        self.count = count
        self.hasher = hasher
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var block = [UInt8](repeating: 0, count: 1 << 20)
        block.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for index in words.indices {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                words[index] = state
            }
        }
        self.block = block
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let sequence: GeneratedChunks
        var index = 0

        mutating func next() async -> [UInt8]? {
            if let count = sequence.count, index >= count { return nil }
            var chunk = sequence.block
            withUnsafeBytes(of: UInt64(index).littleEndian) { stamp in
                chunk.withUnsafeMutableBytes { $0.copyMemory(from: stamp) }
            }
            index += 1
            chunk.withUnsafeBytes { try? sequence.hasher.write($0) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(sequence: self) }
}

/// Collects stdout and lets a test wait until some text has appeared.
final class WatchingSink: SSHOutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    private var waiters: [(String, CheckedContinuation<Void, Never>)] = []

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
            text += String(decoding: bytes, as: UTF8.self)
            let done = waiters.filter { text.contains($0.0) }
            waiters.removeAll { text.contains($0.0) }
            return done.map(\.1)
        }
        for continuation in ready { continuation.resume() }
    }

    func waitFor(_ needle: String) async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock {
                if text.contains(needle) { return true }
                waiters.append((needle, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}
