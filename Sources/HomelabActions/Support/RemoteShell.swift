import HomelabCore

/// What actions need of SSH: run one command on a host and collect what it printed. The live
/// shell rides HomelabTransport's libssh2 client; tests can hand in a double.
public protocol RemoteShell: Sendable {
    func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> RemoteResult
}

public struct RemoteCommand: Sendable {
    public var command: String
    public var environment: [(String, String)]
    public var stdin: [UInt8]
    public var timeout: Duration

    public init(command: String, environment: [(String, String)] = [], stdin: [UInt8] = [], timeout: Duration = .seconds(600)) {
        self.command = command
        self.environment = environment
        self.stdin = stdin
        self.timeout = timeout
    }
}

public struct RemoteResult: Sendable, Equatable {
    public var exitStatus: Int
    /// The signal that ended the command (`TERM`), when one did.
    public var signal: String?
    public var stdout: String
    public var stderr: String

    public init(exitStatus: Int, signal: String? = nil, stdout: String, stderr: String) {
        self.exitStatus = exitStatus
        self.signal = signal
        self.stdout = stdout
        self.stderr = stderr
    }
}
