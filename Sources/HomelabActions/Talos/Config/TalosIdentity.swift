/// What the Talos client needs to speak mutual TLS to a configured node: the OS CA to verify
/// the node, the client certificate and key (PEM text, the key under Talos' Ed25519 label), and
/// where to connect (apid endpoints, default target nodes).
public struct TalosIdentity: Sendable, Equatable {
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
}
