import HomelabCore
import HomelabTransport
import Synchronization

/// `RemoteShell` over HomelabTransport's libssh2 client: one connection per command, strict host
/// key checking as the target says, the key file or else the ssh-agent. `scoped()` hands a step
/// a shell that keeps one login per host for its short commands (`LiveStepShell`).
public struct LiveRemoteShell: RemoteShell {
    public init() {}

    public func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> RemoteResult {
        try await connected(to: target) { client in try await Self.collect(command, on: client) }
    }

    public func scoped() -> RemoteShellScope {
        let shell = LiveStepShell()
        return RemoteShellScope(shell: shell, close: { await shell.close() })
    }

    /// Runs `command` on `client` and collects what it printed.
    static func collect(_ command: RemoteCommand, on client: SSHClient) async throws -> RemoteResult {
        let result = try await client.run(
            command.command, environment: environment(command),
            stdin: command.stdin.isEmpty ? .none : .bytes(command.stdin), timeout: command.timeout
        )
        return RemoteResult(
            exitStatus: Int(result.status.code ?? -1), signal: result.status.signal,
            stdout: result.stdoutText, stderr: result.stderrText)
    }

    public func stream(
        _ command: RemoteCommand, on target: SSHTarget, input: RemoteInput,
        output: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws -> RemoteStatus {
        let stdin: SSHInput =
            switch input {
            case .none: .none
            case .producer(let produce): .producer(produce)
            case .lifeline: .heldOpen
            }
        let errors = StderrTail(limit: 64 << 10)
        return try await connected(to: target) { client in
            let status = try await client.execute(
                command.command, environment: Self.environment(command), stdin: stdin, stderr: errors,
                timeout: command.timeout, stdout: output)
            return RemoteStatus(exitStatus: Int(status.code ?? -1), signal: status.signal, stderr: errors.text)
        }
    }

    /// Logs in to `target`: strict host key checking unless the target says accept-new.
    static func connect(to target: SSHTarget) async throws -> SSHClient {
        let credentials: [SSHCredential] = target.key.map { [.privateKey(path: $0, passphrase: target.passphrase)] } ?? [.agent()]
        return try await SSHClient.connect(
            SSHConfiguration(
                host: target.address, port: target.port, user: target.user, credentials: credentials,
                knownHostsPath: target.knownHosts,
                hostKeyPolicy: target.hostKeyPolicy == .acceptNew ? .acceptNew : .strict
            ))
    }

    private func connected<T>(to target: SSHTarget, _ body: (SSHClient) async throws -> T) async throws -> T {
        let client = try await Self.connect(to: target)
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }

    static func environment(_ command: RemoteCommand) -> [String: String] {
        Dictionary(command.environment, uniquingKeysWith: { _, last in last })
    }
}

/// Keeps the last `limit` bytes a streamed command printed on stderr: a long `zfs receive -v`
/// cannot grow memory, and the error is at the end.
private final class StderrTail: SSHOutputSink, Sendable {
    private let bytes = Mutex<[UInt8]>([])
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func write(_ chunk: UnsafeRawBufferPointer) throws {
        bytes.withLock { bytes in
            bytes.append(contentsOf: chunk)
            if bytes.count > limit { bytes.removeFirst(bytes.count - limit) }
        }
    }

    var text: String { bytes.withLock { String(decoding: $0, as: UTF8.self) } }
}
