import HomelabCore

/// What actions need of SSH: run one command on a host and collect what it printed, or stream
/// bytes through a command (a `zfs send` into the cloud, a download into `zfs receive`). The live
/// shell rides HomelabTransport's libssh2 client; tests can hand in a double.
public protocol RemoteShell: Sendable {
    func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> RemoteResult

    /// Runs `command` with `input` on its stdin and hands its stdout to `output` chunk by chunk,
    /// in order. Both directions are bounded: a slow `output` holds the remote command back, a
    /// slow command suspends `input`'s producer, so memory stays flat however long the stream.
    /// An `output` that throws stops the command; its error is rethrown. `command.stdin` is not
    /// used (the input says what the command reads).
    func stream(
        _ command: RemoteCommand, on target: SSHTarget, input: RemoteInput,
        output: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws -> RemoteStatus

    /// A shell for the commands of one step: the live shell keeps one login per host for the
    /// step's short commands (a login costs more than a `zfs list`), so the scope must be closed
    /// however the step ends. Shells without connections to keep hand back themselves.
    func scoped() -> RemoteShellScope
}

/// A shell lent to one step, and how to end what it kept open.
public struct RemoteShellScope: Sendable {
    public let shell: any RemoteShell
    private let closing: @Sendable () async -> Void

    public init(shell: any RemoteShell, close: @escaping @Sendable () async -> Void = {}) {
        self.shell = shell
        self.closing = close
    }

    /// Ends the connections the scope opened; commands after it fail.
    public func close() async { await closing() }
}

/// What a streamed command reads on its standard input.
public enum RemoteInput: Sendable {
    /// End-of-file at once.
    case none
    /// Chunks pushed by the producer through the `write` it is handed, which suspends while the
    /// command is slower (a download handing over what it has verified).
    case producer(@Sendable (_ write: @escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Void)
    /// Nothing, but stdin stays open while homelab runs the command: the command sees its end
    /// only when homelab goes away (killed, cancelled, connection lost). A host-side pipeline
    /// reads it as a lifeline and stops itself then, instead of running on unobserved.
    case lifeline
}

/// How a streamed command ended; its stdout went to the stream's `output`.
public struct RemoteStatus: Sendable, Equatable {
    public var exitStatus: Int
    public var signal: String?
    /// The end of what it printed on stderr (the last 64 KiB): where ZFS says why.
    public var stderr: String

    public init(exitStatus: Int, signal: String? = nil, stderr: String) {
        self.exitStatus = exitStatus
        self.signal = signal
        self.stderr = stderr
    }

    public var succeeded: Bool { exitStatus == 0 && signal == nil }
}

extension RemoteShell {
    public func scoped() -> RemoteShellScope { RemoteShellScope(shell: self) }

    /// Shells that only collect (older doubles) refuse streams with a clear error.
    public func stream(
        _ command: RemoteCommand, on target: SSHTarget, input: RemoteInput,
        output: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws -> RemoteStatus {
        throw ActionError("this SSH transport cannot stream (asked to run '\(command.command)' on \(target.display))")
    }
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
