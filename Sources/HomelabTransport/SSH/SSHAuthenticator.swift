import CSSH2
import Foundation

/// Public-key authentication with key files and ssh-agent, in the configured order; when all
/// fail, the error lists what was tried and how each attempt ended.
struct SSHAuthenticator {
    let state: SSHSessionState
    let session: LibSSH2Session
    let configuration: SSHConfiguration
    let deadline: SSHDeadline

    func authenticate() throws {
        let user = configuration.user
        var attempts: [String] = []
        let offered = try methodsOffered()
        if libssh2_userauth_authenticated(session.raw) != 0 { return } // "none" was enough
        guard offered.contains("publickey") else {
            throw SSHError.authenticationFailed(
                endpoint: state.endpoint, user: user,
                attempts: ["the server offers only \(offered.joined(separator: ", ")), not publickey"])
        }
        for credential in configuration.credentials {
            switch credential {
            case .privateKey(let path, let passphrase):
                if let outcome = try tryKey(path: path, passphrase: passphrase) { attempts.append(outcome) } else { return }
            case .agent(let socketPath):
                if let outcome = try tryAgent(socketPath: socketPath) { attempts.append(outcome) } else { return }
            }
        }
        throw SSHError.authenticationFailed(endpoint: state.endpoint, user: user, attempts: attempts)
    }

    private func methodsOffered() throws -> [String] {
        let user = configuration.user
        while true {
            if let list = libssh2_userauth_list(session.raw, user, UInt32(user.utf8.count)) {
                return String(cString: list).split(separator: ",").map(String.init)
            }
            if libssh2_userauth_authenticated(session.raw) != 0 { return [] }
            let code = session.lastErrorCode
            guard code == LIBSSH2_ERROR_EAGAIN else { throw state.failure(code, session, .authentication, "asking for auth methods") }
            try state.waitSocket(session, .authentication, deadline)
        }
    }

    /// nil on success, else a line saying why this key did not work.
    private func tryKey(path: String, passphrase: String?) throws -> String? {
        guard FileManager.default.isReadableFile(atPath: path) else { return "key \(path): no readable file there" }
        let user = configuration.user
        let rc = try state.retry(session, .authentication, deadline) {
            libssh2_userauth_publickey_fromfile_ex(session.raw, user, UInt32(user.utf8.count), nil, path, passphrase)
        }
        switch rc {
        case 0: return nil
        case LIBSSH2_ERROR_FILE:
            return passphrase == nil
                ? "key \(path): cannot be loaded (it may need a passphrase, or its format is unsupported)"
                : "key \(path): cannot be loaded (wrong passphrase, or unsupported format)"
        case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED:
            return "key \(path): refused by the server" + (isRSA(path) ? Self.rsaHint : "")
        default:
            let error = state.failure(rc, session, .authentication, "key authentication")
            if state.broken != nil { throw error }
            return "key \(path): \(session.lastErrorMessage)"
        }
    }

    /// libssh2 1.10 signs only with ssh-rsa (SHA-1), which OpenSSH 8.8+ refuses by default.
    static let rsaHint =
        " (an RSA key: libssh2 1.10 can only sign with ssh-rsa/SHA-1, which OpenSSH 8.8+ "
        + "refuses unless sshd_config has PubkeyAcceptedAlgorithms +ssh-rsa; prefer an ed25519 key)"

    private func isRSA(_ path: String) -> Bool {
        (try? String(contentsOfFile: path + ".pub", encoding: .utf8))?.hasPrefix("ssh-rsa ") == true
    }

    private func tryAgent(socketPath: String?) throws -> String? {
        let name = "ssh-agent at \(socketPath ?? "$SSH_AUTH_SOCK")"
        if socketPath == nil && ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"] == nil {
            return "ssh-agent: SSH_AUTH_SOCK is not set"
        }
        guard let agent = LibSSH2Agent(session: session) else { return "\(name): cannot be used" }
        guard agent.connect(socketPath: socketPath) == 0 else { return "\(name): cannot connect" }
        guard libssh2_agent_list_identities(agent.raw) == 0 else { return "\(name): cannot list its keys" }
        let user = configuration.user
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
        var identity: UnsafeMutablePointer<libssh2_agent_publickey>?
        var refused: [String] = []
        while libssh2_agent_get_identity(agent.raw, &identity, previous) == 0, let current = identity {
            let rc = try state.retry(session, .authentication, deadline) {
                libssh2_agent_userauth(agent.raw, user, current)
            }
            if rc == 0 { return nil }
            if rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED && rc != LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED {
                let error = state.failure(rc, session, .authentication, "agent authentication")
                if state.broken != nil { throw error }
            }
            refused.append(current.pointee.comment.map { String(cString: $0) } ?? "unnamed key")
            previous = current
        }
        return refused.isEmpty ? "\(name): holds no keys" : "\(name): server refused \(refused.joined(separator: ", "))"
    }
}
