import CSSH2

/// Opens the session on the connection's thread: resolve, TCP connect, handshake, host key
/// check, authentication; all inside one deadline.
struct SSHConnector {
    let state: SSHSessionState
    let configuration: SSHConfiguration

    func connect() throws {
        let deadline = SSHDeadline(configuration.connectTimeout)
        let endpoint = configuration.endpoint
        let knownHosts = try SSHKnownHostsFile.load(configuration.knownHostsPath)
        let addresses = try SSHResolver.resolve(
            host: configuration.host, port: configuration.port, endpoint: endpoint,
            deadline: deadline, control: state.control)
        let socket = try SSHSocket.connect(
            addresses: addresses, endpoint: endpoint, deadline: deadline,
            control: state.control, wake: state.wake)
        guard let session = LibSSH2Session(socket: socket) else {
            throw SSHError.handshakeFailed(endpoint: endpoint, reason: "libssh2 could not create a session")
        }
        try setPreferences(session, hostKeys: knownHosts.hostKeyPreference(host: configuration.host, port: configuration.port))

        let rc = try state.retry(session, .handshake, deadline) { libssh2_session_handshake(session.raw, socket.descriptor) }
        guard rc == 0 else {
            throw SSHError.handshakeFailed(endpoint: endpoint, reason: "\(session.lastErrorMessage) (libssh2 \(rc))")
        }
        session.established = true
        try SSHHostKeyVerifier.verify(session, configuration: configuration, file: knownHosts)
        try SSHAuthenticator(state: state, session: session, configuration: configuration, deadline: deadline).authenticate()

        if let interval = configuration.keepaliveInterval {
            libssh2_keepalive_config(session.raw, 1, UInt32(max(1, interval.components.seconds)))
            state.keepalive = true
        }
        state.session = session
    }

    private func setPreferences(_ session: LibSSH2Session, hostKeys: [String]) throws {
        var preferences: [(Int32, [String]?)] = [(LIBSSH2_METHOD_HOSTKEY, hostKeys)]
        preferences += [
            (LIBSSH2_METHOD_CRYPT_CS, configuration.ciphers), (LIBSSH2_METHOD_CRYPT_SC, configuration.ciphers),
            (LIBSSH2_METHOD_MAC_CS, configuration.macs), (LIBSSH2_METHOD_MAC_SC, configuration.macs),
        ]
        for (method, names) in preferences {
            guard let names, !names.isEmpty else { continue }
            if libssh2_session_method_pref(session.raw, method, names.joined(separator: ",")) != 0 {
                throw SSHError.handshakeFailed(
                    endpoint: configuration.endpoint,
                    reason: "libssh2 supports none of \(names.joined(separator: ", "))")
            }
        }
    }
}
