/// A Proxmox call that failed: which call, how to treat it, and what the server said (the reason
/// phrase first, then `message`/`errors`). Never carries the token.
public struct ProxmoxError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// 595-599, "got no worker upid", "got timeout", a dropped or reset connection, a
        /// timeout: trying again may work (after re-reading state for a mutating call).
        case transient
        /// "already exists".
        case exists
        /// "does not exist" (Proxmox answers 500, not 404).
        case doesNotExist
        /// "VM is locked (<lock>)".
        case locked(String)
        /// "already running".
        case alreadyRunning
        /// The guest agent is not configured, or not answering yet.
        case agentNotReady
        /// 401: no token, or a wrong one.
        case unauthorized
        /// 403: the token lacks a privilege.
        case forbidden
        /// The certificate is not the pinned one (or nothing is pinned) and nobody trusted it.
        case untrustedCertificate(presented: String, expected: String?)
        /// A task ended with an error (its exit status).
        case taskFailed(String)
        /// A task or a retry loop ran past its deadline.
        case deadline
        /// Everything else: bad parameters, a bug, a refusal that retrying will not change.
        case fatal
    }

    public var kind: Kind
    /// `POST /nodes/pve/qemu`: the method and path (no query, no token).
    public var call: String
    /// The HTTP status, when there was an answer.
    public var status: Int?
    /// What went wrong, in the server's words where it gave any.
    public var message: String
    /// What to do next, when there is more to say than the message.
    public var hint: String?
    /// The end of a failed task's log.
    public var logTail: [String]

    public init(_ kind: Kind, call: String, status: Int? = nil, message: String, hint: String? = nil, logTail: [String] = []) {
        self.kind = kind
        self.call = call
        self.status = status
        self.message = message
        self.hint = hint
        self.logTail = logTail
    }

    public var isTransient: Bool { kind == .transient }

    /// Semantic errors describe the VM's state; an "ensure" step maps them instead of failing.
    public var isSemantic: Bool {
        switch kind {
        case .exists, .doesNotExist, .locked, .alreadyRunning: true
        default: false
        }
    }

    public var description: String {
        var text = "\(call): \(message)"
        if let status { text += " (HTTP \(status))" }
        if !logTail.isEmpty { text += "\n  task log:\n" + logTail.map { "    \($0)" }.joined(separator: "\n") }
        if let hint { text += "\n  \(hint)" }
        return text
    }
}
