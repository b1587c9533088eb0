import Foundation
import Synchronization

/// The kernel's side of the run lock: an advisory lock (flock(2)) on `STATE/lock`, held on an
/// open descriptor for as long as the run goes on. The kernel drops it when the descriptor is
/// closed or the process ends, however it ends, so "is anyone running?" never depends on a file
/// that someone may delete or overwrite (`lock.json`) or on a pid that may have been reused.
///
/// The holder also writes its name (the same JSON as `lock.json`) into the file, so that a run
/// refused by the lock can say who holds it even when `lock.json` is gone. The file itself is
/// never removed: a second run must open the same file to meet the lock.
final class FlockFile: Sendable {
    private let descriptor = Mutex<Int32?>(nil)

    private init(_ fd: Int32) {
        descriptor.withLock { $0 = fd }
    }

    /// Takes the lock without waiting: nil when another open descriptor (this process or
    /// another) holds it. O_CLOEXEC: a step's subprocess that outlives the run must not keep it.
    static func take(_ path: String) throws(LockFile.Failure) -> FlockFile? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LockFile.Failure(errno) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            if code == EWOULDBLOCK { return nil }
            throw LockFile.Failure(code)
        }
        return FlockFile(fd)
    }

    /// Whether some descriptor holds the lock now, and the name its holder wrote (nil before it
    /// wrote one, or when the file is missing). Asks with a shared lock taken and dropped at
    /// once, so that two readers never get in each other's way; without a lock file nobody holds it.
    static func holder(_ path: String) -> (held: Bool, name: Data?) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return (false, nil) }
        defer { close(fd) }
        while flock(fd, LOCK_SH | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            // EWOULDBLOCK: an exclusive holder. Any other failure is taken as held too: calling a
            // live run gone would let a second run in beside it.
            let name: Data? = try? LockFile.contents(of: path)
            return (true, name?.isEmpty == false ? name : nil)
        }
        flock(fd, LOCK_UN)
        return (false, nil)
    }

    /// Replaces the file's contents with the holder's name, durably.
    func write(_ contents: Data) throws(LockFile.Failure) {
        try descriptor.withLock { (fd: inout Int32?) throws(LockFile.Failure) in
            guard let fd else { return }
            guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else { throw LockFile.Failure(errno) }
            try LockFile.writeAll(fd, contents)
            guard fsync(fd) == 0 else { throw LockFile.Failure(errno) }
        }
    }

    /// Empties the file (its name no longer holds) and drops the lock. Safe to call twice.
    func release() {
        descriptor.withLock { fd in
            guard let open = fd else { return }
            _ = ftruncate(open, 0)
            close(open) // closing the only descriptor drops the flock
            fd = nil
        }
    }

    /// Dropped without `release` (a test, or a run object lost): the lock goes, the name stays,
    /// as after a crash.
    deinit {
        descriptor.withLock { fd in
            if let open = fd { close(open) }
        }
    }
}
