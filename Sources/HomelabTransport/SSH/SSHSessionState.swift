import CSSH2

#if canImport(Glibc)
    import Glibc
#endif

/// Everything one connection's thread works with: the session, the current operation's
/// cancellation flag, and the waits. Only that thread touches it.
final class SSHSessionState {
    let endpoint: String
    let wake: SSHWakePipe
    var control = SSHJobControl()
    var session: LibSSH2Session?
    var keepalive: Bool = false
    /// Why the session can no longer be used (lost connection, aborted half-sent packet).
    var broken: SSHError?
    /// Channels we closed whose close the server has not confirmed (sshd waits for the command).
    private var parked: [LibSSH2Channel] = []

    init(endpoint: String, wake: SSHWakePipe) {
        self.endpoint = endpoint
        self.wake = wake
    }

    func park(_ channel: LibSSH2Channel) { parked.append(channel) }

    /// Frees parked channels the server has confirmed closed since (between operations only).
    func reapParked() {
        guard broken == nil, !parked.isEmpty else { return }
        parked.removeAll { $0.tryFree() }
    }

    /// Ends the session on this thread; unconfirmed channels go down with it.
    func teardown() {
        for channel in parked { channel.leftToSession = true }
        parked = []
        session = nil
    }

    /// The live session, or the error that says why there is none.
    func requireSession() throws -> LibSSH2Session {
        if let broken { throw broken }
        guard let session else { throw SSHError.closed(endpoint: endpoint) }
        return session
    }

    /// Waits for the socket in the direction libssh2 last blocked on (or `events` if given).
    func waitSocket(
        _ session: LibSSH2Session, _ phase: SSHPhase, _ deadline: SSHDeadline,
        events explicit: Int16? = nil, mayKeepalive: Bool = false
    ) throws {
        var events: Int16 = explicit ?? 0
        if explicit == nil {
            let directions = session.blockDirections
            if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
            if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
            if events == 0 { events = Int16(POLLIN) }
        }
        var slice: Duration?
        if mayKeepalive && keepalive {
            var next: Int32 = 0
            _ = libssh2_keepalive_send(session.raw, &next)
            slice = .seconds(max(1, Int(next)))
        }
        try SSHPoll.wait(
            descriptor: session.socket.descriptor, events: events, wake: wake, control: control,
            deadline: deadline, endpoint: endpoint, phase: phase, slice: slice)
    }

    /// Calls `body` until it stops answering EAGAIN, waiting on the socket in between.
    func retry(_ session: LibSSH2Session, _ phase: SSHPhase, _ deadline: SSHDeadline, _ body: () -> Int32) throws -> Int32 {
        while true {
            let rc = body()
            guard rc == LIBSSH2_ERROR_EAGAIN else { return rc }
            try waitSocket(session, phase, deadline)
        }
    }

    /// The same for calls that return a handle, or NULL with EAGAIN as the last error.
    func retry(
        _ session: LibSSH2Session, _ phase: SSHPhase, _ deadline: SSHDeadline,
        _ body: () -> OpaquePointer?
    ) throws -> OpaquePointer? {
        while true {
            if let handle = body() { return handle }
            guard session.lastErrorCode == LIBSSH2_ERROR_EAGAIN else { return nil }
            try waitSocket(session, phase, deadline)
        }
    }

    /// Turns a libssh2 failure into an SSHError; a dead socket also marks the session broken.
    func failure(_ rc: Int32, _ session: LibSSH2Session, _ phase: SSHPhase, _ what: String) -> SSHError {
        let message = session.lastErrorMessage
        switch rc {
        case LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_DISCONNECT,
            LIBSSH2_ERROR_SOCKET_TIMEOUT, LIBSSH2_ERROR_TIMEOUT, LIBSSH2_ERROR_BAD_SOCKET,
            LIBSSH2_ERROR_SOCKET_NONE:
            let error = SSHError.connectionLost(endpoint: endpoint, phase: phase, reason: message)
            broken = error
            return error
        default:
            return .channelFailed(endpoint: endpoint, what: what, reason: "\(message) (libssh2 \(rc))")
        }
    }
}
