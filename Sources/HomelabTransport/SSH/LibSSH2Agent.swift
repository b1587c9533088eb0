import CSSH2

/// A connection to an ssh-agent for one authentication; disconnected and freed exactly once.
final class LibSSH2Agent {
    let raw: OpaquePointer
    private var connected = false

    init?(session: LibSSH2Session) {
        guard let raw = libssh2_agent_init(session.raw) else { return nil }
        self.raw = raw
    }

    deinit {
        if connected { _ = libssh2_agent_disconnect(raw) }
        libssh2_agent_free(raw)
    }

    func connect(socketPath: String?) -> Int32 {
        if let socketPath { libssh2_agent_set_identity_path(raw, socketPath) }
        let rc = libssh2_agent_connect(raw)
        connected = rc == 0
        return rc
    }
}
