import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The TCP socket under one session; closed exactly once, when this object goes.
final class SSHSocket {
    let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// Connects to the first address that answers, non-blocking, each attempt bounded by the deadline.
    static func connect(
        addresses: [SSHResolver.Address], endpoint: String, deadline: SSHDeadline,
        control: SSHJobControl, wake: SSHWakePipe
    ) throws -> SSHSocket {
        var lastError: SSHError = .unreachable(endpoint: endpoint, reason: "no address")
        for address in addresses {
            let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw SSHError.unreachable(endpoint: endpoint, reason: String(cString: strerror(errno))) }
            let candidate = SSHSocket(descriptor: fd)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let started = address.storage.withUnsafeBytes { raw in
                Glibc.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), address.length)
            }
            if started != 0 && errno != EINPROGRESS {
                lastError = connectError(errno, endpoint: endpoint)
                continue
            }
            if started != 0 {
                try SSHPoll.wait(
                    descriptor: fd, events: Int16(POLLOUT), wake: wake, control: control,
                    deadline: deadline, endpoint: endpoint, phase: .connect)
                var failure: Int32 = 0
                var size = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size)
                if failure != 0 {
                    lastError = connectError(failure, endpoint: endpoint)
                    continue
                }
            }
            return candidate
        }
        throw lastError
    }

    private static func connectError(_ code: Int32, endpoint: String) -> SSHError {
        code == ECONNREFUSED
            ? .connectionRefused(endpoint: endpoint)
            : .unreachable(endpoint: endpoint, reason: String(cString: strerror(code)))
    }
}
