/// Where a Proxmox host's API is and how to trust and authenticate to it: the inventory's
/// `proxmox` entry plus the token secret.
public struct ProxmoxEndpoint: Sendable, Equatable, Hashable {
    /// The API base, `https://host:8006/api2/json`.
    public var url: String
    /// The node name (`pve`), not an address.
    public var node: String
    /// The SHA-256 fingerprint (`AA:BB:...`) the API certificate must have; nil when unknown.
    public var fingerprint: String?
    /// A CA certificate (PEM file) to verify against instead of a pin.
    public var ca: String?
    /// The full token, `USER@REALM!TOKENID=SECRET`: sent as `Authorization: PVEAPIToken=...`,
    /// never printed.
    public var token: String

    public init(url: String, node: String, fingerprint: String? = nil, ca: String? = nil, token: String) {
        self.url = url
        self.node = node
        self.fingerprint = fingerprint
        self.ca = ca
        self.token = token
    }

    /// The token's id without its secret (`root@pam!homelab`), for messages.
    public var tokenID: String {
        token.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
    }
}
