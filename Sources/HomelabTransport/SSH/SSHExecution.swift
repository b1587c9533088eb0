import CSSH2

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one remote command on the connection's thread: stdin out, stdout and stderr in, all
/// interleaved on one non-blocking session, then the exit status.
///
/// libssh2 rule this loop honours: when a call returns EAGAIN with a packet half-sent, the next
/// call must be that same call again (a different one fails with LIBSSH2_ERROR_BAD_USE). So the
/// side that owns a half-sent packet goes first, and only its direction is waited for.
final class SSHExecution {
    private enum Owner { case none, reader, writer }

    private let state: SSHSessionState
    private let session: LibSSH2Session
    private let command: String
    private let environment: [(String, String)]
    private let feed: SSHStdinFeed
    private let stdout: any SSHOutputSink
    private let stderr: any SSHOutputSink
    private let deadline: SSHDeadline
    private let window: Int

    private var owner = Owner.none
    private var eofSent = false
    private var outputEnded = false
    private var readBuffer: UnsafeMutableRawBufferPointer

    init(
        state: SSHSessionState, session: LibSSH2Session, command: String, environment: [(String, String)],
        feed: SSHStdinFeed, stdout: any SSHOutputSink, stderr: any SSHOutputSink, deadline: SSHDeadline, window: Int
    ) {
        self.state = state
        self.session = session
        self.command = command
        self.environment = environment
        self.feed = feed
        self.stdout = stdout
        self.stderr = stderr
        self.deadline = deadline
        self.window = window
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
    }

    deinit { readBuffer.deallocate() }

    func run() throws -> SSHExitStatus {
        let channel = try open()
        do {
            try pump(channel)
            return try finish(channel)
        } catch let error as SSHError {
            abort(channel, after: error)
            throw error
        }
    }

    private func open() throws -> LibSSH2Channel {
        let window = UInt32(clamping: self.window)
        guard let raw = try state.retry(session, .channel, deadline, { hl_channel_open_session(session.raw, window, 32768) }) else {
            throw state.failure(session.lastErrorCode, session, .channel, "opening a session channel")
        }
        let channel = LibSSH2Channel(raw: raw, session: session)
        for (name, value) in environment {
            let rc = try state.retry(session, .channel, deadline) { hl_channel_setenv(raw, name, value) }
            if rc == LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED { throw SSHError.environmentRefused(endpoint: state.endpoint, name: name) }
            if rc != 0 { throw state.failure(rc, session, .channel, "setting \(name)") }
        }
        // From the exec request on, the command may be running: a connection lost here is
        // reported in the command's phase, so a caller never mistakes it for one that never
        // started (`SSHError.commandNeverStarted`) and runs it a second time.
        let rc = try state.retry(session, .command, deadline) { hl_channel_exec(raw, command) }
        if rc != 0 { throw state.failure(rc, session, .command, "starting the command") }
        return channel
    }

    private func pump(_ channel: LibSSH2Channel) throws {
        while true {
            var progressed = false
            if owner != .writer { progressed = try readOutput(channel) }
            if owner != .reader && !eofSent {
                progressed = try writeInput(channel) || progressed
            }
            if eofSent && outputEnded && owner == .none { return }
            if progressed { continue }
            // The command is gone (it exited without reading all of its input, or it only ever
            // waited for stdin's end as a lifeline): stop feeding it, whether or not the
            // producer has something ready.
            if outputEnded && !eofSent && owner == .none && remoteClosed(channel) {
                feed.abandon()
                eofSent = true
                continue
            }
            let events: Int16 =
                owner == .none
                ? Int16(POLLIN) | (session.outboundBlocked ? Int16(POLLOUT) : 0)
                : Int16(POLLOUT)
            try state.waitSocket(session, .command, deadline, events: events, mayKeepalive: owner == .none && !session.outboundBlocked)
        }
    }

    /// Drains stdout then stderr into their sinks; true if any byte moved.
    private func readOutput(_ channel: LibSSH2Channel) throws -> Bool {
        var moved = false
        for stream in [0, 1] {
            for _ in 0..<32 {
                // A full async sink: leave the data in the channel; its consumer wakes us.
                guard (stream == 0 ? stdout : stderr).hasRoom else { break }
                let count =
                    stream == 0
                    ? hl_channel_read(channel.raw, readBuffer.baseAddress, readBuffer.count)
                    : hl_channel_read_stderr(channel.raw, readBuffer.baseAddress, readBuffer.count)
                if count > 0 {
                    moved = true
                    owner = .none
                    let bytes = UnsafeRawBufferPointer(start: readBuffer.baseAddress, count: count)
                    do {
                        try (stream == 0 ? stdout : stderr).write(bytes)
                    } catch {
                        throw SSHError.output(endpoint: state.endpoint, reason: String(describing: error))
                    }
                    continue
                }
                if count == Int(LIBSSH2_ERROR_EAGAIN) {
                    owner = session.outboundBlocked ? .reader : .none
                    if owner == .reader { return moved }
                    break
                }
                if count < 0 { throw state.failure(Int32(count), session, .command, "reading output") }
                owner = .none
                break
            }
        }
        if !outputEnded && libssh2_channel_eof(channel.raw) != 0 { outputEnded = true }
        return moved
    }

    /// Sends stdin in large writes (libssh2 cuts packets); true if any byte moved.
    private func writeInput(_ channel: LibSSH2Channel) throws -> Bool {
        var moved = false
        for _ in 0..<128 {
            switch try feed.state() {
            case .waiting:
                return moved
            case .finished:
                let rc = libssh2_channel_send_eof(channel.raw)
                if rc == LIBSSH2_ERROR_EAGAIN {
                    owner = session.outboundBlocked ? .writer : .none
                    return moved
                }
                owner = .none
                if rc != 0 && !isRemoteGone(rc) { throw state.failure(rc, session, .command, "sending end of input") }
                eofSent = true
                return true
            case .data:
                let count = feed.withPending { pointer, length in hl_channel_write(channel.raw, pointer, length) }
                if count > 0 {
                    feed.consumed(count)
                    owner = .none
                    moved = true
                    continue
                }
                if count == Int(LIBSSH2_ERROR_EAGAIN) || count == 0 {
                    owner = count != 0 && session.outboundBlocked ? .writer : .none
                    return moved
                }
                owner = .none
                if isRemoteGone(Int32(count)) {
                    feed.abandon()
                    eofSent = true
                    return true
                }
                throw state.failure(Int32(count), session, .command, "sending input")
            }
        }
        return moved
    }

    private func isRemoteGone(_ rc: Int32) -> Bool {
        rc == LIBSSH2_ERROR_CHANNEL_CLOSED || rc == LIBSSH2_ERROR_CHANNEL_EOF_SENT
    }

    /// After the server's EOF, whether it also closed the channel (the command is gone).
    private func remoteClosed(_ channel: LibSSH2Channel) -> Bool {
        let rc = libssh2_channel_wait_closed(channel.raw)
        if rc == LIBSSH2_ERROR_EAGAIN { owner = session.outboundBlocked ? .reader : .none }
        return rc == 0
    }

    private func finish(_ channel: LibSSH2Channel) throws -> SSHExitStatus {
        var rc = try state.retry(session, .command, deadline) { libssh2_channel_close(channel.raw) }
        if rc != 0 && !isRemoteGone(rc) { throw state.failure(rc, session, .command, "closing the channel") }
        rc = try state.retry(session, .command, deadline) { libssh2_channel_wait_closed(channel.raw) }
        if rc != 0 { throw state.failure(rc, session, .command, "waiting for the channel to close") }
        return exitStatus(channel)
    }

    private func exitStatus(_ channel: LibSSH2Channel) -> SSHExitStatus {
        var signal: UnsafeMutablePointer<CChar>?
        var signalLength = 0
        _ = libssh2_channel_get_exit_signal(channel.raw, &signal, &signalLength, nil, nil, nil, nil)
        if let signal {
            defer { libssh2_free(session.raw, signal) }
            return SSHExitStatus(code: nil, signal: String(cString: signal))
        }
        return SSHExitStatus(code: libssh2_channel_get_exit_status(channel.raw), signal: nil)
    }

    /// Leaves the session usable after a failed or cancelled command when that is safe: send the
    /// channel close within a short bound and do not wait for the server's confirmation (sshd gives
    /// it only once the command exits). A half-sent packet or a dead socket ends the session.
    private func abort(_ channel: LibSSH2Channel, after error: SSHError) {
        feed.abandon()
        if state.broken != nil { return }
        guard owner == .none else {
            state.broken = .connectionLost(
                endpoint: state.endpoint, phase: .command,
                reason: "an operation was interrupted in the middle of a packet; connect again")
            return
        }
        let saved = state.control
        state.control = SSHJobControl() // the close must go out even though the operation was cancelled
        defer { state.control = saved }
        let bound = SSHDeadline(.seconds(2))
        while true {
            let rc = libssh2_channel_close(channel.raw)
            if rc == 0 { return }
            if rc != LIBSSH2_ERROR_EAGAIN {
                _ = state.failure(rc, session, .command, "closing the channel")
                return
            }
            if !session.outboundBlocked {
                state.park(channel) // close sent; freed once the server confirms
                return
            }
            do {
                try state.waitSocket(session, .command, bound, events: Int16(POLLOUT))
            } catch {
                state.broken = .connectionLost(
                    endpoint: state.endpoint, phase: .command,
                    reason: "the channel could not be closed (\(error)); connect again")
                return
            }
        }
    }
}
