/// One context of a talosconfig: the client side of a configured node's mutual TLS (the OS CA,
/// an `os:admin` client certificate and its Ed25519 key, PEM text with the key under Talos' own
/// label) and where to connect (apid endpoints, default target nodes).
public struct TalosContext: Sendable, Equatable {
    public var ca: String
    public var crt: String
    public var key: String
    public var endpoints: [String]
    public var nodes: [String]

    public init(ca: String, crt: String, key: String, endpoints: [String] = [], nodes: [String] = []) {
        self.ca = ca
        self.crt = crt
        self.key = key
        self.endpoints = endpoints
        self.nodes = nodes
    }

    /// What the Talos client takes for a configured node.
    public var identity: TalosIdentity {
        TalosIdentity(ca: ca, certificate: crt, key: key)
    }
}
