import CSSH2

#if canImport(Glibc)
    import Glibc
#endif

/// One libssh2 session (non-blocking) over its socket; disconnected and freed exactly once.
/// Lives on the connection's thread only: libssh2 sessions are not thread-safe.
final class LibSSH2Session {
    let raw: OpaquePointer
    let socket: SSHSocket
    /// Set once the handshake is done, so teardown says goodbye to the server.
    var established = false

    /// libssh2_init is not thread-safe; a lazily initialised static runs it once.
    private static let libraryReady: Bool = {
        _ = TransportLibraries.prepared
        return libssh2_init(0) == 0
    }()

    init?(socket: SSHSocket) {
        guard Self.libraryReady, let raw = hl_session_init() else { return nil }
        self.raw = raw
        self.socket = socket
        libssh2_session_set_blocking(raw, 0)
    }

    deinit {
        // Teardown may need I/O (disconnect message); blocking with a short timeout bounds it.
        withBoundedBlocking {
            if established { _ = hl_session_disconnect(raw, "closing") }
            // Channels still open (a cancelled command the server keeps) then fail fast in free.
            _ = shutdown(socket.descriptor, Int32(SHUT_RDWR))
            _ = libssh2_session_free(raw)
        }
    }

    /// Runs libssh2 teardown calls that would otherwise return EAGAIN, each wait capped at 2 s.
    func withBoundedBlocking(_ body: () -> Void) {
        libssh2_session_set_timeout(raw, 2000)
        libssh2_session_set_blocking(raw, 1)
        body()
        libssh2_session_set_blocking(raw, 0)
        libssh2_session_set_timeout(raw, 0)
    }

    var lastErrorCode: Int32 { libssh2_session_last_errno(raw) }

    /// libssh2's own words for the last failure (never contains key material or passphrases).
    var lastErrorMessage: String {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        _ = libssh2_session_last_error(raw, &message, &length, 0)
        guard let message else { return "unknown libssh2 error" }
        return String(cString: message)
    }

    var blockDirections: Int32 { libssh2_session_block_directions(raw) }
    var outboundBlocked: Bool { blockDirections & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 }
}

/// One channel of a session; freed exactly once: by `tryFree`, by its deinit (closing it first
/// if the server still has it open), or, when `leftToSession`, by libssh2_session_free.
final class LibSSH2Channel {
    let raw: OpaquePointer
    private let session: LibSSH2Session
    private var freed = false
    /// Set at teardown for channels whose close the server has not confirmed yet.
    var leftToSession = false

    init(raw: OpaquePointer, session: LibSSH2Session) {
        self.raw = raw
        self.session = session
    }

    deinit {
        if !freed && !leftToSession { session.withBoundedBlocking { _ = libssh2_channel_free(raw) } }
    }

    /// Frees the channel if that needs no more waiting; false while the server's close is pending.
    func tryFree() -> Bool {
        if freed { return true }
        guard libssh2_channel_free(raw) != LIBSSH2_ERROR_EAGAIN else { return false }
        freed = true
        return true
    }
}
