import Foundation

/// `exec`: runs a local command on the operator's machine.
public struct Exec: Action {
    public init() {}

    public let schema = ActionSchema(
        name: "exec",
        summary: "Run a local command; fails when it exits non-zero.",
        inputs: [
            InputSpec("command", .command, required: true, "The command: a string run by /bin/sh -c, or a list of arguments run directly."),
            InputSpec("env", .map, "Extra environment variables for the command."),
            InputSpec("cwd", .string, "Working directory (default: the directory homelab runs in)."),
            InputSpec("creates", .string, "A path the command creates: when it exists, the step is already satisfied and is skipped."),
            InputSpec("unless", .command, "A read-only check: when it exits 0, the step is already satisfied and is skipped."),
        ],
        outputs: [
            OutputSpec("stdout", "What the command printed on standard output, trailing newline removed."),
            OutputSpec("exit-code", "The command's exit status (always 0 when the step succeeds)."),
        ],
        idempotent: false
    )

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        if let path = call.string("creates"), FileManager.default.fileExists(atPath: path) {
            return .satisfied("\(path) exists")
        }
        if let check = call.inputs["unless"] {
            let result = try await context.processes.run(ProcessCommand(Self.arguments(check), environment: environment(call), directory: try directory(call)))
            if result.status == 0 { return .satisfied("'unless' check passed") }
        }
        return .notSatisfied
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let result = try await context.processes.run(
            ProcessCommand(Self.arguments(call.inputs["command"] ?? .null), environment: environment(call), directory: try directory(call)))
        guard result.status == 0 else {
            let detail = result.stderr.split(separator: "\n").suffix(3).joined(separator: " | ")
            throw ActionError("command exited with status \(result.status)" + (detail.isEmpty ? "" : ": \(detail)"), retryable: true)
        }
        let stdout = result.stdout.hasSuffix("\n") ? String(result.stdout.dropLast()) : result.stdout
        return ["stdout": .string(stdout), "exit-code": .int(0)]
    }

    /// A string runs through the shell; a list runs as it is.
    static func arguments(_ command: Value) -> [String] {
        if case .list(let items) = command { return items.map(\.text) }
        return ["/bin/sh", "-c", command.text]
    }

    /// `cwd`, checked first: a missing directory made starting the process fail as if the shell
    /// were missing ("cannot start /bin/sh").
    private func directory(_ call: ActionCall) throws -> String? {
        guard let path = call.string("cwd") else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ActionError("working directory \(path) does not exist")
        }
        guard isDirectory.boolValue else { throw ActionError("working directory \(path) is not a directory") }
        return path
    }

    private func environment(_ call: ActionCall) -> [String: String]? {
        guard case .map(let pairs)? = call.inputs["env"] else { return nil }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in pairs { environment[key] = value.text }
        return environment
    }

    public func describe(_ inputs: [String: Value]) -> String {
        // The command itself is shown with the inputs; only the probe is worth a line.
        if let path = inputs["creates"] { return "skipped when \(path.text) exists" }
        if inputs["unless"] != nil { return "skipped when its 'unless' check passes" }
        return ""
    }
}
