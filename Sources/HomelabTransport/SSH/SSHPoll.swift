import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The one place the connection's thread sleeps: poll() on the socket and the wake pipe, bounded
/// by the operation's deadline, ended early by cancellation.
enum SSHPoll {
    /// Returns when the socket is ready for `events`, the wake pipe rang, or `slice` ended;
    /// throws on cancellation or once the deadline has passed.
    static func wait(
        descriptor: Int32, events: Int16, wake: SSHWakePipe, control: SSHJobControl,
        deadline: SSHDeadline, endpoint: String, phase: SSHPhase, slice: Duration? = nil
    ) throws {
        if control.isCancelled { throw SSHError.cancelled(endpoint: endpoint, phase: phase) }
        let now = ContinuousClock.now
        guard now < deadline.instant else { throw deadline.timeout(endpoint, phase) }
        var remaining = deadline.instant - now
        if let slice, slice < remaining { remaining = slice }
        let milliseconds = Int32(
            clamping: max(
                1,
                remaining.components.seconds * 1000
                    + remaining.components.attoseconds / 1_000_000_000_000_000))
        var fds = [
            pollfd(fd: descriptor, events: events, revents: 0),
            pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&fds, 2, milliseconds)
        if ready < 0 && errno != EINTR {
            throw SSHError.connectionLost(
                endpoint: endpoint, phase: phase,
                reason: "poll: \(String(cString: strerror(errno)))")
        }
        if fds[1].revents != 0 { wake.drain() }
        if control.isCancelled { throw SSHError.cancelled(endpoint: endpoint, phase: phase) }
        if ready == 0 && deadline.expired { throw deadline.timeout(endpoint, phase) }
    }
}
