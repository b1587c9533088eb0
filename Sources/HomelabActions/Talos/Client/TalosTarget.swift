/// Where one Talos call goes and how it authenticates: an apid endpoint, optionally a node it
/// forwards the call to (the `node` metadata key: one node, one-to-one, answers unmodified), and
/// the node's mode. homelab never uses `nodes` (one-to-many, deprecated upstream).
public struct TalosTarget: Sendable, Equatable, CustomStringConvertible {
    public enum Mode: Sendable, Equatable {
        /// A node without a config: TLS without verification and without a client certificate.
        /// `pin` is the SHA-256 of the node's public key in base64, as the node's console prints
        /// it (talosctl's `--cert-fingerprint`); nil accepts any certificate, as talosctl does.
        case maintenance(pin: String?)
        /// A configured node: mutual TLS with the cluster's OS CA and a client certificate.
        case configured(TalosIdentity)
    }

    /// apid's port, where an endpoint does not name one.
    public static let apidPort = 50000

    /// `host` or `host:port` (IPv6 in brackets with a port), or an `https://` URL.
    public var endpoint: String
    /// The node the endpoint forwards the call to; nil: the endpoint serves it itself.
    public var node: String?
    public var mode: Mode

    public init(endpoint: String, node: String? = nil, mode: Mode) {
        self.endpoint = endpoint
        self.node = node
        self.mode = mode
    }

    /// `https://host:50000`: the gRPC base URL. As talosctl reads endpoints, a missing port is
    /// 50000, except in an `https://` URL, where it is 443.
    public var url: String {
        var host = endpoint
        let isURL = host.lowercased().hasPrefix("https://")
        if isURL { host.removeFirst("https://".count) }
        while host.hasSuffix("/") { host.removeLast() }
        let port = isURL ? 443 : Self.apidPort
        if host.hasPrefix("[") { return "https://" + (host.contains("]:") ? host : "\(host):\(port)") }
        switch host.count(where: { $0 == ":" }) {
        case 0: return "https://\(host):\(port)"
        case 1: return "https://\(host)"
        default: return "https://[\(host)]:\(port)" // a bare IPv6 address
        }
    }

    /// For messages: `node 10.0.0.11 via https://10.0.0.10:50000`, or the endpoint alone.
    public var description: String {
        let at = String(url.dropFirst("https://".count))
        return node.map { "node \($0) via \(at)" } ?? "node \(at)"
    }

    /// Whether the call goes to a node in maintenance mode.
    var isMaintenance: Bool {
        if case .maintenance = mode { return true }
        return false
    }
}
