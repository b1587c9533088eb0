import Foundation

/// Where in the life of a connection something went wrong (timeouts and cancellations name it).
public enum SSHPhase: String, Sendable {
    case resolve = "name resolution"
    case connect = "TCP connect"
    case handshake = "SSH handshake"
    case hostKey = "host key check"
    case authentication
    case channel = "channel setup"
    case command = "remote command"
    case upload
    case disconnect
}

/// Everything the SSH client can fail with; each case names the server (host:port) and says
/// what to do next. Passphrases never appear in any text.
public enum SSHError: Error, Sendable, Equatable, CustomStringConvertible {
    case nameResolution(endpoint: String, reason: String)
    case connectionRefused(endpoint: String)
    case unreachable(endpoint: String, reason: String)
    case timeout(endpoint: String, phase: SSHPhase, seconds: Double)
    case handshakeFailed(endpoint: String, reason: String)
    case hostKeyUnknown(endpoint: String, keyType: String, fingerprint: String, knownHosts: String)
    case hostKeyChanged(
        endpoint: String, keyType: String, presented: String, known: String,
        knownHosts: String, line: Int?)
    case knownHostsUnusable(path: String, reason: String)
    case authenticationFailed(endpoint: String, user: String, attempts: [String])
    case channelFailed(endpoint: String, what: String, reason: String)
    case environmentRefused(endpoint: String, name: String)
    case connectionLost(endpoint: String, phase: SSHPhase, reason: String)
    case cancelled(endpoint: String, phase: SSHPhase)
    case localFile(path: String, reason: String)
    case input(endpoint: String, reason: String)
    case output(endpoint: String, reason: String)
    case remoteFile(endpoint: String, path: String, reason: String)
    case closed(endpoint: String)

    public var description: String {
        switch self {
        case .nameResolution(let endpoint, let reason):
            "cannot resolve \(endpoint): \(reason); check the host name and DNS"
        case .connectionRefused(let endpoint):
            "\(endpoint) refused the connection; is sshd running and listening on that port?"
        case .unreachable(let endpoint, let reason):
            "cannot reach \(endpoint): \(reason); check the address, routing and firewall"
        case .timeout(let endpoint, let phase, let seconds):
            "\(endpoint): \(phase.rawValue) did not finish within \(Self.format(seconds)) s; "
                + "check that the host is up and reachable, or allow more time"
        case .handshakeFailed(let endpoint, let reason):
            "SSH handshake with \(endpoint) failed: \(reason); check that it is an SSH server "
                + "and that it offers a cipher, MAC and host key type libssh2 supports"
        case .hostKeyUnknown(let endpoint, let keyType, let fingerprint, let knownHosts):
            "host key of \(endpoint) is not in \(knownHosts) (\(keyType) \(fingerprint)); "
                + "verify this fingerprint out of band, then add it to the file or connect once "
                + "with the accept-new host key policy"
        case .hostKeyChanged(let endpoint, let keyType, let presented, let known, let knownHosts, let line):
            "HOST KEY OF \(endpoint) HAS CHANGED: it presents \(keyType) \(presented) but "
                + "\(knownHosts)\(line.map { " line \($0)" } ?? "") records \(known); someone may be "
                + "intercepting the connection, or the host was reinstalled. Verify the new key out "
                + "of band, then remove the old entry (ssh-keygen -R) and connect again"
        case .knownHostsUnusable(let path, let reason):
            "known_hosts file \(path) cannot be used: \(reason)"
        case .authenticationFailed(let endpoint, let user, let attempts):
            "\(endpoint) refused every credential for user \(user): "
                + (attempts.isEmpty ? "no credential was configured" : attempts.joined(separator: "; "))
                + "; check authorized_keys on the server and the key or agent configured here"
        case .channelFailed(let endpoint, let what, let reason):
            "\(endpoint): \(what) failed: \(reason)"
        case .environmentRefused(let endpoint, let name):
            "\(endpoint) refused environment variable \(name); add it to AcceptEnv in the server's sshd_config"
        case .connectionLost(let endpoint, let phase, let reason):
            "connection to \(endpoint) was lost during \(phase.rawValue): \(reason); "
                + "the remote side may have crashed or been restarted, run the step again"
        case .cancelled(let endpoint, let phase):
            "\(endpoint): \(phase.rawValue) was cancelled"
        case .localFile(let path, let reason):
            "cannot read local file \(path): \(reason)"
        case .input(let endpoint, let reason):
            "\(endpoint): the standard input source failed: \(reason)"
        case .output(let endpoint, let reason):
            "\(endpoint): the output sink failed: \(reason)"
        case .remoteFile(let endpoint, let path, let reason):
            "\(endpoint): cannot write remote file \(path): \(reason); check the directory exists "
                + "and the user may write there"
        case .closed(let endpoint):
            "the connection to \(endpoint) is already closed; connect again"
        }
    }

    /// The connection was gone before the command could start (the client was closed, or the
    /// session channel could not be opened): running it again on a new connection runs it once.
    public var commandNeverStarted: Bool {
        switch self {
        case .closed: true
        case .connectionLost(_, let phase, _): phase == .channel
        default: false
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds < 10 ? String(format: "%.1f", seconds) : String(Int(seconds.rounded()))
    }
}
