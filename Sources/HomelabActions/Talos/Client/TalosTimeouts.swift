import HomelabTransport

/// How long Talos calls may take. Unary calls get a deadline; streams (a snapshot, a health
/// check) have none of their own and are cut off only when they stall.
public struct TalosTimeouts: Sendable, Equatable {
    /// TCP and TLS handshake.
    public var connect: Duration = .seconds(10)
    /// One unary call, from request to answer.
    public var call: Duration = .seconds(30)
    /// A stream that moves no byte for this long is dropped.
    public var stall: Duration = .seconds(60)

    public init() {}

    var http: HTTPTimeouts {
        HTTPTimeouts(connect: connect, total: nil, lowSpeed: HTTPTimeouts.LowSpeed(bytesPerSecond: 1, duration: stall))
    }
}
