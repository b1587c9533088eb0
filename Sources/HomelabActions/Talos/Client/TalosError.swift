import HomelabTransport

/// A Talos call that failed, classified the way the reference's error table says (section 6):
/// what a step should do about it, which call, which node, the server's words and a hint.
/// Never carries a machine config, a key or a certificate.
public struct TalosError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not ready yet, retry: the node is rebooting or restarting apid (refused, reset,
        /// UNAVAILABLE), or a precondition that passes with time (CRI not up, time not synced,
        /// EPHEMERAL not mounted, another apply in progress).
        case notReady
        /// The node has no machine config yet (UNIMPLEMENTED "machine type is not set"): it is
        /// worth waiting for while a config is being applied.
        case notConfigured
        /// Bootstrap found etcd's data directory not empty (ALREADY_EXISTS): bootstrapped already.
        case alreadyBootstrapped
        /// PERMISSION_DENIED or UNAUTHENTICATED: the role, the mode or the routing is wrong.
        case denied
        /// INVALID_ARGUMENT: the request itself (a machine config that does not validate).
        case invalid
        /// UNIMPLEMENTED: this node does not serve the call (maintenance mode, a worker, an
        /// older Talos).
        case notServed
        /// The TLS handshake did not go through: an untrusted or changed certificate, or a
        /// client certificate the node refused or wanted.
        case certificate
        /// Anything else: the server failed or the answer broke the protocol.
        case fatal
    }

    public let kind: Kind
    /// The RPC, such as `Bootstrap`.
    public let call: String
    /// The node, as TalosTarget describes it.
    public let node: String
    /// The gRPC status, when there was one.
    public let code: GRPCStatusCode?
    public let message: String
    public let hint: String?

    public init(_ kind: Kind, call: String, node: String, code: GRPCStatusCode? = nil, message: String, hint: String? = nil) {
        self.kind = kind
        self.call = call
        self.node = node
        self.code = code
        self.message = message
        self.hint = hint
    }

    /// Waiting and asking again may succeed.
    public var isRetryable: Bool { kind == .notReady || kind == .notConfigured }

    public var description: String {
        let status = code.map { " (\($0.name))" } ?? ""
        return "Talos \(call) on \(node) failed\(status): \(message)" + (hint.map { "\n  \($0)" } ?? "")
    }
}
