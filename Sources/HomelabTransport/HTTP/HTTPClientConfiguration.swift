/// Everything fixed for the life of one `HTTPClient`. Trust and identity are per client, so a
/// connection opened under one trust setting is never reused under another (one pool per client).
public struct HTTPClientConfiguration: Sendable, Equatable {
    public var trust: HTTPServerTrust
    public var identity: HTTPClientIdentity?
    public var timeouts: HTTPTimeouts
    public var userAgent: String
    /// Plain `http://` URLs speak HTTP/2 without upgrade (gRPC to a cleartext test peer).
    public var cleartextHTTP2: Bool
    /// How much of a response may wait in memory for a slow reader before the transfer pauses.
    public var responseBufferLimit: Int
    /// How much request body a streaming writer may queue before `write` suspends.
    public var requestBufferLimit: Int

    public init(
        trust: HTTPServerTrust = .systemAuthorities,
        identity: HTTPClientIdentity? = nil,
        timeouts: HTTPTimeouts = HTTPTimeouts(),
        userAgent: String = "homelab",
        cleartextHTTP2: Bool = false,
        responseBufferLimit: Int = 1 << 20,
        requestBufferLimit: Int = 1 << 20
    ) {
        self.trust = trust
        self.identity = identity
        self.timeouts = timeouts
        self.userAgent = userAgent
        self.cleartextHTTP2 = cleartextHTTP2
        self.responseBufferLimit = responseBufferLimit
        self.requestBufferLimit = requestBufferLimit
    }
}

/// Deadlines; every request has at least the connect one, so no socket wait is unbounded.
public struct HTTPTimeouts: Sendable, Equatable {
    /// DNS + TCP + TLS handshake.
    public var connect: Duration
    /// The whole exchange; nil for streams and big downloads that rely on `lowSpeed` instead.
    public var total: Duration?
    /// Abort when fewer than `bytesPerSecond` move for `duration` (a stalled peer).
    public var lowSpeed: LowSpeed?

    public struct LowSpeed: Sendable, Equatable {
        public var bytesPerSecond: Int
        public var duration: Duration
        public init(bytesPerSecond: Int, duration: Duration) {
            self.bytesPerSecond = bytesPerSecond
            self.duration = duration
        }
    }

    public init(
        connect: Duration = .seconds(10), total: Duration? = .seconds(300),
        lowSpeed: LowSpeed? = LowSpeed(bytesPerSecond: 1, duration: .seconds(60))
    ) {
        self.connect = connect
        self.total = total
        self.lowSpeed = lowSpeed
    }
}

/// Which deadline ran out.
public enum HTTPTimeoutKind: String, Sendable, Equatable {
    case connect, total
    case lowSpeed = "low-speed"
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
