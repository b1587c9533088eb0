import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A self-pipe the connection's thread polls beside its socket, so that cancellation and new
/// stdin chunks interrupt a poll() at once instead of waiting for its timeout.
final class SSHWakePipe: @unchecked Sendable {
    let readEnd: Int32
    private let writeEnd: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw SSHError.channelFailed(
                endpoint: "local", what: "creating a wake-up pipe",
                reason: String(cString: strerror(errno)))
        }
        readEnd = fds[0]
        writeEnd = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1) // a full pipe already means "awake"
    }

    func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }
}

/// The cancellation flag of one operation, set from any thread, read by the connection's thread.
final class SSHJobControl: Sendable {
    private let cancelled = Mutex(false)

    var isCancelled: Bool { cancelled.withLock { $0 } }

    func cancel() { cancelled.withLock { $0 = true } }
}
