import HomelabCore
import HomelabTransport
import Synchronization

/// The shell one step's commands share: one login per host, kept until the step ends (`close`),
/// because a login (TCP, key exchange, host key check, authentication) costs more than the
/// `zfs list` it carries, and a step issues a dozen of those.
///
/// The client makes every libssh2 call of its connection on one thread, one operation after
/// another, so callers that overlap queue on it safely. Streams get a connection of their own
/// (`LiveRemoteShell.stream`): a `zfs send` of hours never holds the short commands back, and
/// its lifeline ends with its own connection. A connection found gone before a command could
/// start is reopened once for that command; one lost while a command ran fails that command (it
/// may have run, so it is never run twice) and the next command logs in again. No command is
/// ever skipped. Host keys are checked on every login exactly as `LiveRemoteShell` checks them.
final class LiveStepShell: RemoteShell {
    private struct Login {
        let id: Int
        let task: Task<SSHClient, any Error>
    }

    private struct State {
        var logins: [String: Login] = [:]
        var next = 0
        var closed = false
    }

    private let state = Mutex(State())

    func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> RemoteResult {
        let login = try self.login(to: target)
        do {
            return try await LiveRemoteShell.collect(command, on: try await client(of: login))
        } catch let error as SSHError where error.commandNeverStarted {
            await drop(login, of: target)
            let again = try self.login(to: target)
            do {
                return try await LiveRemoteShell.collect(command, on: try await client(of: again))
            } catch let error as SSHError {
                await drop(again, of: target)
                throw error
            }
        } catch let error as SSHError {
            await drop(login, of: target)
            throw error
        }
    }

    func stream(
        _ command: RemoteCommand, on target: SSHTarget, input: RemoteInput,
        output: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws -> RemoteStatus {
        try await LiveRemoteShell().stream(command, on: target, input: input, output: output)
    }

    /// Logs out of every host; a login still under way is cancelled. Later commands are refused.
    func close() async {
        let logins = state.withLock { state in
            state.closed = true
            defer { state.logins = [:] }
            return Array(state.logins.values)
        }
        for login in logins { await end(login) }
    }

    /// The login to `target`, started by the first command that needs it.
    private func login(to target: SSHTarget) throws -> Login {
        let key = Self.key(target)
        return try state.withLock { state in
            guard !state.closed else {
                throw ActionError("the step's SSH connection to \(target.display) is closed already; no command is run after its step ended")
            }
            if let login = state.logins[key] { return login }
            state.next += 1
            let login = Login(id: state.next, task: Task { try await LiveRemoteShell.connect(to: target) })
            state.logins[key] = login
            return login
        }
    }

    private func client(of login: Login) async throws -> SSHClient {
        try await withTaskCancellationHandler {
            try await login.task.value
        } onCancel: {
            login.task.cancel()
        }
    }

    /// Forgets `login` (if it is still the host's) and closes it, so the next command logs in anew.
    private func drop(_ login: Login, of target: SSHTarget) async {
        let key = Self.key(target)
        state.withLock { state in
            if state.logins[key]?.id == login.id { state.logins[key] = nil }
        }
        await end(login)
    }

    private func end(_ login: Login) async {
        login.task.cancel()
        if let client = try? await login.task.value { await client.close() }
    }

    /// One login per way of logging in (never the passphrase: it is not what tells logins apart).
    private static func key(_ target: SSHTarget) -> String {
        "\(target.user)@\(target.address):\(target.port) \(target.key ?? "agent") \(target.knownHosts) \(target.hostKeyPolicy)"
    }
}
