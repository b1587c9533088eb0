/// How a remote command ended: an exit code, or the signal that killed it.
public struct SSHExitStatus: Sendable, Equatable, CustomStringConvertible {
    /// The exit code; nil when the command was killed by a signal (or the server sent none).
    public let code: Int32?
    /// The signal name without "SIG" (e.g. "TERM") when the command was killed by one.
    public let signal: String?

    public init(code: Int32?, signal: String?) {
        self.code = code
        self.signal = signal
    }

    public var succeeded: Bool { code == 0 && signal == nil }

    public var description: String {
        if let signal { return "killed by SIG\(signal)" }
        if let code { return "exit code \(code)" }
        return "no exit status"
    }
}

/// The result of a small command run with its output collected.
public struct SSHCommandResult: Sendable {
    public let status: SSHExitStatus
    public let stdout: [UInt8]
    public let stderr: [UInt8]

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
