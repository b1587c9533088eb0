import HomelabTransport

/// How long each kind of exchange may take. Connecting is per client (HTTPClientConfiguration);
/// a request gets as long as pveproxy gives pvedaemon (30 s, then 596).
public struct ProxmoxTimeouts: Sendable, Equatable {
    public var connect: Duration
    public var request: Duration
    /// Uploads: long, with stall detection (no progress for `stall`) doing the real work.
    public var transfer: Duration
    public var stall: Duration

    public init(
        connect: Duration = .seconds(10), request: Duration = .seconds(30),
        transfer: Duration = .seconds(4 * 60 * 60), stall: Duration = .seconds(60)
    ) {
        self.connect = connect
        self.request = request
        self.transfer = transfer
        self.stall = stall
    }

    /// The HTTPClient settings these timeouts need (the total is set per request).
    var http: HTTPTimeouts {
        HTTPTimeouts(connect: connect, total: nil, lowSpeed: .init(bytesPerSecond: 1, duration: stall))
    }
}
