import Foundation
import HomelabCore

/// Where and how to log in: resolved from a step's `host` input, which is either an address or
/// an inventory entry (a mapping with `address` and an optional `ssh` mapping), with explicit
/// step inputs taking precedence. One source of truth: the inventory says how a host is reached.
public struct SSHTarget: Sendable, Equatable {
    public enum HostKeyPolicy: String, Sendable, CaseIterable {
        /// Only hosts already in known_hosts, with the same key.
        case strict
        /// Record an unknown host's key on first contact; a changed key is still refused.
        case acceptNew = "accept-new"
    }

    public var address: String
    public var port: Int
    public var user: String
    /// A private key file; nil means the ssh-agent (SSH_AUTH_SOCK).
    public var key: String?
    public var passphrase: String?
    public var knownHosts: String
    public var hostKeyPolicy: HostKeyPolicy

    public init(
        address: String, port: Int = 22, user: String = "root", key: String? = nil, passphrase: String? = nil, knownHosts: String = SSHTarget.defaultKnownHosts,
        hostKeyPolicy: HostKeyPolicy = .strict
    ) {
        self.address = address
        self.port = port
        self.user = user
        self.key = key
        self.passphrase = passphrase
        self.knownHosts = knownHosts
        self.hostKeyPolicy = hostKeyPolicy
    }

    public static var defaultKnownHosts: String { expand("~/.ssh/known_hosts") }

    /// `user@address:port`, for messages (never the key or passphrase).
    public var display: String { "\(user)@\(address):\(port)" }

    /// The inputs that describe a target, shared by every action that logs in somewhere.
    public static let inputs: [InputSpec] = [
        InputSpec(
            "host", .any, required: true, resource: .address,
            "The host: an address, or an inventory entry such as ${inventory.proxmox} (its 'address' and optional 'ssh' mapping: user, port, key, known-hosts, host-key-policy)."
        ),
        InputSpec("user", .string, "Login user (default: the inventory's, else root)."),
        InputSpec("port", .integer, "SSH port (default: the inventory's, else 22)."),
        InputSpec("key", .string, "Private key file (default: the inventory's, else the ssh-agent)."),
        InputSpec("passphrase", .string, "Passphrase of the key; pass it as ${secrets.NAME}."),
        InputSpec("known-hosts", .string, "known_hosts file checked strictly (default: the inventory's, else ~/.ssh/known_hosts)."),
        InputSpec(
            "host-key-policy", .string, allowed: HostKeyPolicy.allCases.map(\.rawValue),
            "strict refuses unknown hosts; accept-new records a new host's key on first contact. A changed key is always refused."),
    ]

    /// `host` is an address or an inventory entry (its `address`, else `host`, and its `ssh`
    /// mapping); the step's own inputs override the entry's `ssh` settings.
    static let input = EndpointInput(
        name: "host", expected: "an address or an inventory entry with an 'address'", saysWhatWasFound: false,
        addressKeys: ["address", "host"], settingsKey: "ssh",
        overrides: ["user", "port", "key", "passphrase", "known-hosts", "host-key-policy"])

    /// Reads the target from a step's inputs; the error names the input that is wrong.
    public static func resolve(_ call: ActionCall) throws -> SSHTarget {
        let settings = try input.resolve(call)
        var target = SSHTarget(address: try settings.requireAddress("'address'", advice: "give an address, or an inventory entry that has one"))
        if let user = settings.string("user") { target.user = user }
        if let port = try settings.port("port") { target.port = port }
        if let key = settings.string("key") { target.key = expand(key) }
        target.passphrase = settings.string("passphrase")
        if let file = settings.string("known-hosts") { target.knownHosts = expand(file) }
        if let policy = try settings.choice("host-key-policy", HostKeyPolicy.self) { target.hostKeyPolicy = policy }
        return target
    }

    static func expand(_ path: String) -> String {
        guard path.hasPrefix("~/") else { return path }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst(1)
    }
}
