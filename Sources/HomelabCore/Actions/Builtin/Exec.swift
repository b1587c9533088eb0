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
        ],
        outputs: [
            OutputSpec("stdout", "What the command printed on standard output, trailing newline removed."),
            OutputSpec("exit-code", "The command's exit status (always 0 when the step succeeds)."),
        ],
        idempotent: false
    )

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        guard let path = call.string("creates") else { return .notSatisfied }
        return FileManager.default.fileExists(atPath: path) ? .satisfied("\(path) exists") : .notSatisfied
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let process = Process()
        switch call.inputs["command"] {
        case .list(let arguments)?:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments.map(\.text)
        default:
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", call.string("command") ?? ""]
        }
        if let cwd = call.string("cwd") { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        if case .map(let pairs)? = call.inputs["env"] {
            var environment = ProcessInfo.processInfo.environment
            for (key, value) in pairs { environment[key] = value.text }
            process.environment = environment
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stdout = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw ActionError("command exited with status \(process.terminationStatus)", retryable: true)
        }
        let trimmed = stdout.hasSuffix("\n") ? String(stdout.dropLast()) : stdout
        return ["stdout": .string(trimmed), "exit-code": .int(0)]
    }

    public func describe(_ inputs: [String: Value]) -> String {
        // The command itself is shown with the inputs; only the probe is worth a line.
        inputs["creates"].map { "skipped when \($0.text) exists" } ?? ""
    }
}
