/// What to do with a server whose host key is not in known_hosts yet.
public enum SSHHostKeyPolicy: String, Sendable {
    /// Refuse it (OpenSSH's StrictHostKeyChecking=yes).
    case strict
    /// Trust it on first use and append it to known_hosts; a changed key is still refused.
    case acceptNew = "accept-new"
}

/// One way to prove who we are, tried in the order the configuration lists them.
public enum SSHCredential: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// An OpenSSH or PEM private key file (ed25519, ecdsa, rsa), with its passphrase if it has one.
    case privateKey(path: String, passphrase: String? = nil)
    /// The keys an ssh-agent holds; nil means the socket named by SSH_AUTH_SOCK.
    case agent(socketPath: String? = nil)

    /// Names the credential without its passphrase, for errors and logs.
    public var description: String {
        switch self {
        case .privateKey(let path, let passphrase): "key \(path)\(passphrase == nil ? "" : " (with passphrase)")"
        case .agent(let socketPath): "ssh-agent at \(socketPath ?? "$SSH_AUTH_SOCK")"
        }
    }

    /// Also used when a configuration is printed whole, so the passphrase stays out of that too.
    public var debugDescription: String { description }
}

/// Everything needed to open one SSH connection.
public struct SSHConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var credentials: [SSHCredential]
    public var knownHostsPath: String
    public var hostKeyPolicy: SSHHostKeyPolicy
    /// Budget for resolve + TCP connect + handshake + host key check + authentication together.
    public var connectTimeout: Duration
    /// How often to send keepalive@openssh.com while the connection is busy or idle; nil disables.
    public var keepaliveInterval: Duration?
    /// Cipher and MAC preferences (libssh2 names, e.g. "aes128-ctr", "hmac-sha2-256"); nil keeps libssh2's.
    public var ciphers: [String]?
    public var macs: [String]?
    /// Receive window of each channel: how much the server may send before we acknowledge.
    public var channelWindow: Int

    public init(
        host: String, port: Int = 22, user: String, credentials: [SSHCredential],
        knownHostsPath: String, hostKeyPolicy: SSHHostKeyPolicy = .strict,
        connectTimeout: Duration = .seconds(20), keepaliveInterval: Duration? = .seconds(30),
        ciphers: [String]? = nil, macs: [String]? = nil, channelWindow: Int = 8 << 20
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.credentials = credentials
        self.knownHostsPath = knownHostsPath
        self.hostKeyPolicy = hostKeyPolicy
        self.connectTimeout = connectTimeout
        self.keepaliveInterval = keepaliveInterval
        self.ciphers = ciphers
        self.macs = macs
        self.channelWindow = channelWindow
    }

    /// `host:port`, with brackets around IPv6 literals; every error names the server this way.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
