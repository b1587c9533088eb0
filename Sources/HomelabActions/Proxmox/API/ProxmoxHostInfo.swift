/// `GET /version`.
public struct ProxmoxVersionInfo: Sendable, Equatable {
    public var version: String
    public var release: String
    public var repoid: String

    public init(version: String, release: String, repoid: String) {
        self.version = version
        self.release = release
        self.repoid = repoid
    }
}

/// One entry of `GET /nodes`.
public struct ProxmoxNodeInfo: Sendable, Equatable {
    public var node: String
    public var status: String
    /// The node's API certificate fingerprint, as the host reports it.
    public var sslFingerprint: String?

    public init(node: String, status: String, sslFingerprint: String?) {
        self.node = node
        self.status = status
        self.sslFingerprint = sslFingerprint
    }
}
