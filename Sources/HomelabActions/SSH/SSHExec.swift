import HomelabCore

/// `ssh.exec`: runs a command on a host from the inventory over SSH (libssh2, strict host keys).
public struct SSHExec: Action {
    private let shell: any RemoteShell

    public init(shell: any RemoteShell) {
        self.shell = shell
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "ssh.exec",
            summary: "Run a command on a host over SSH; fails when it exits non-zero.",
            inputs: SSHTarget.inputs + [
                InputSpec("command", .command, required: true, "The remote command: a string for the remote shell, or a list of arguments (quoted for it)."),
                InputSpec("env", .map, "Environment variables for the command (the server must accept them: AcceptEnv)."),
                InputSpec("stdin", .string, "Text fed to the command's standard input."),
                InputSpec("unless", .command, "A read-only remote check: when it exits 0, the step is already satisfied and is skipped."),
                InputSpec("command-timeout", .duration, default: .string("10m"), "How long the command may run before it is stopped."),
            ],
            outputs: [
                OutputSpec("stdout", "What the command printed on standard output, trailing newline removed."),
                OutputSpec("stderr", "What it printed on standard error, trailing newline removed."),
                OutputSpec("exit-code", "The command's exit status (always 0 when the step succeeds)."),
            ],
            idempotent: false
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        guard let check = call.inputs["unless"] else { return .notSatisfied }
        let target = try SSHTarget.resolve(call)
        let result = try await shell.run(
            RemoteCommand(command: Self.commandLine(check), environment: environment(call), timeout: try timeout(call)), on: target)
        return result.exitStatus == 0 && result.signal == nil ? .satisfied("'unless' check passed on \(target.address)") : .notSatisfied
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let target = try SSHTarget.resolve(call)
        let command = RemoteCommand(
            command: Self.commandLine(call.inputs["command"] ?? .null),
            environment: environment(call),
            stdin: Array((call.string("stdin") ?? "").utf8),
            timeout: try timeout(call)
        )
        let result = try await shell.run(command, on: target)
        if let signal = result.signal {
            throw ActionError("command on \(target.display) was killed by signal \(signal)\(Self.tail(result.stderr))", retryable: true)
        }
        guard result.exitStatus == 0 else {
            throw ActionError("command on \(target.display) exited with status \(result.exitStatus)\(Self.tail(result.stderr))", retryable: true)
        }
        return [
            "stdout": .string(Self.chomp(result.stdout)),
            "stderr": .string(Self.chomp(result.stderr)),
            "exit-code": .int(0),
        ]
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let target = (try? SSHTarget.resolve(ActionCall(step: "", inputs: inputs))).map { "on \($0.display), host key \($0.hostKeyPolicy.rawValue)" } ?? ""
        let probe = inputs["unless"] != nil ? "skipped when its 'unless' check passes on the host" : ""
        return [target, probe].filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// A list becomes one shell line with each argument single-quoted, so spaces survive.
    static func commandLine(_ command: Value) -> String {
        guard case .list(let items) = command else { return command.text }
        return items.map { quote($0.text) }.joined(separator: " ")
    }

    static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private func environment(_ call: ActionCall) -> [(String, String)] {
        guard case .map(let pairs)? = call.inputs["env"] else { return [] }
        return pairs.map { ($0.0, $0.1.text) }
    }

    private func timeout(_ call: ActionCall) throws -> Duration {
        try call.duration(defaulted: "command-timeout")
    }

    static func chomp(_ text: String) -> String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// The last lines of stderr, which usually say why.
    static func tail(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").suffix(3).joined(separator: " | ")
        return lines.isEmpty ? "" : ": \(lines)"
    }
}
