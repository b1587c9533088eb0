/// Carries one request to the Proxmox API and brings back what the server said, whatever the
/// status. The live one speaks HTTPS over libcurl; tests script one.
public protocol ProxmoxTransport: Sendable {
    /// Throws only when there was no answer (HTTPError: refused, dropped, timed out, pin).
    func send(_ request: ProxmoxRequest) async throws -> ProxmoxReply
}

/// A server's answer: Proxmox puts an error's first line in the reason phrase, so it is kept.
public struct ProxmoxReply: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var body: [UInt8]

    public init(status: Int, reason: String = "", body: [UInt8] = []) {
        self.status = status
        self.reason = reason
        self.body = body
    }

    public init(status: Int, reason: String = "", json: String) {
        self.init(status: status, reason: reason, body: Array(json.utf8))
    }
}
