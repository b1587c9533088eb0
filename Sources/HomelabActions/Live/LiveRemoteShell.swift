import HomelabCore
import HomelabTransport

/// `RemoteShell` over HomelabTransport's libssh2 client: one connection per command, strict host
/// key checking as the target says, the key file or else the ssh-agent.
public struct LiveRemoteShell: RemoteShell {
    public init() {}

    public func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> RemoteResult {
        let credentials: [SSHCredential] = target.key.map { [.privateKey(path: $0, passphrase: target.passphrase)] } ?? [.agent()]
        let client = try await SSHClient.connect(
            SSHConfiguration(
                host: target.address, port: target.port, user: target.user, credentials: credentials,
                knownHostsPath: target.knownHosts,
                hostKeyPolicy: target.hostKeyPolicy == .acceptNew ? .acceptNew : .strict
            ))
        do {
            let result = try await client.run(
                command.command, environment: Dictionary(command.environment, uniquingKeysWith: { _, last in last }),
                stdin: command.stdin.isEmpty ? .none : .bytes(command.stdin), timeout: command.timeout
            )
            await client.close()
            return RemoteResult(
                exitStatus: Int(result.status.code ?? -1), signal: result.status.signal,
                stdout: result.stdoutText, stderr: result.stderrText)
        } catch {
            await client.close()
            throw error
        }
    }
}
