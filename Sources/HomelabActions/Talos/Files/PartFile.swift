import Foundation

/// A file written in pieces under `PATH.part` (mode 0600 from the start: an etcd snapshot holds
/// the cluster's Secrets), synced, and renamed to PATH only once it is whole and checked, so
/// PATH is never a half-written file. Handed to a stream's handler, one piece at a time.
final class PartFile: @unchecked Sendable {
    let path: String
    var partPath: String { path + ".part" }
    private let handle: FileHandle
    private let lock = NSLock()
    private var written = 0

    struct Failure: Error, Sendable, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot write \(path): \(reason)" }
    }

    init(path: String) throws(Failure) {
        self.path = path
        let descriptor = open(path + ".part", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw Failure(path: path + ".part", reason: String(cString: strerror(errno))) }
        fchmod(descriptor, 0o600)
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    func append(_ bytes: [UInt8]) throws {
        try lock.withLock {
            try handle.write(contentsOf: Data(bytes))
            written += bytes.count
        }
    }

    var size: Int { lock.withLock { written } }

    /// fsync, close; then `check` on the synced file before it takes its name.
    func finish(check: (String) throws -> Void) throws {
        try lock.withLock {
            try handle.synchronize()
            try handle.close()
        }
        try check(partPath)
        guard rename(partPath, path) == 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Removes what was written after a failure.
    func discard() {
        lock.withLock { try? handle.close() }
        unlink(partPath)
    }
}
