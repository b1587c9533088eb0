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

    public init(address: String, port: Int = 22, user: String = "root", key: String? = nil, passphrase: String? = nil, knownHosts: String = SSHTarget.defaultKnownHosts, hostKeyPolicy: HostKeyPolicy = .strict) {
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
        InputSpec("host", .any, required: true, "The host: an address, or an inventory entry such as ${inventory.proxmox} (its 'address' and optional 'ssh' mapping: user, port, key, known-hosts, host-key-policy)."),
        InputSpec("user", .string, "Login user (default: the inventory's, else root)."),
        InputSpec("port", .integer, "SSH port (default: the inventory's, else 22)."),
        InputSpec("key", .string, "Private key file (default: the inventory's, else the ssh-agent)."),
        InputSpec("passphrase", .string, "Passphrase of the key; pass it as ${secrets.NAME}."),
        InputSpec("known-hosts", .string, "known_hosts file checked strictly (default: the inventory's, else ~/.ssh/known_hosts)."),
        InputSpec("host-key-policy", .string, allowed: HostKeyPolicy.allCases.map(\.rawValue), "strict refuses unknown hosts; accept-new records a new host's key on first contact. A changed key is always refused."),
    ]

    /// Reads the target from a step's inputs; the error names the input that is wrong.
    public static func resolve(_ call: ActionCall) throws -> SSHTarget {
        var settings: [String: Value] = [:]
        switch call.inputs["host"] {
        case .string(let address)?:
            settings["address"] = .string(address)
        case .map(let pairs)?:
            for (key, value) in pairs where key == "address" || key == "host" && settings["address"] == nil {
                settings["address"] = value
            }
            if case .map(let ssh)? = pairs.first(where: { $0.0 == "ssh" })?.1 {
                for (key, value) in ssh { settings[key] = value }
            }
        default:
            throw ActionError("'host' must be an address or an inventory entry with an 'address'")
        }
        for name in ["user", "port", "key", "passphrase", "known-hosts", "host-key-policy"] {
            if let value = call.inputs[name], value != .null { settings[name] = value }
        }
        guard let address = settings["address"]?.text, !address.isEmpty else {
            throw ActionError("'host' has no 'address': give an address, or an inventory entry that has one")
        }
        var target = SSHTarget(address: address)
        if let user = settings["user"]?.text, !user.isEmpty { target.user = user }
        if let port = settings["port"] {
            guard let number = Int(port.text), (1...65535).contains(number) else {
                throw ActionError("'port' of \(address) must be a TCP port (1-65535), found '\(port.text)'")
            }
            target.port = number
        }
        if let key = settings["key"]?.text, !key.isEmpty { target.key = expand(key) }
        if let passphrase = settings["passphrase"]?.text, !passphrase.isEmpty { target.passphrase = passphrase }
        if let file = settings["known-hosts"]?.text, !file.isEmpty { target.knownHosts = expand(file) }
        if let policy = settings["host-key-policy"]?.text {
            guard let parsed = HostKeyPolicy(rawValue: policy) else {
                throw ActionError("'host-key-policy' of \(address) must be strict or accept-new, found '\(policy)'")
            }
            target.hostKeyPolicy = parsed
        }
        return target
    }

    static func expand(_ path: String) -> String {
        guard path.hasPrefix("~/") else { return path }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst(1)
    }
}
