import Foundation

/// Reads secret values when a step needs them, and only then.
public protocol SecretSource: Sendable {
    func value(of secret: Secret, runbookFile: String) async throws -> String
    /// Why `secret` cannot be read, found without reading it (nil: nothing known against it).
    /// A run asks this of every secret it will need before its first step, so that a missing
    /// one stops it before anything is done rather than halfway through.
    func problem(with secret: Secret, runbookFile: String) -> String?
}

extension SecretSource {
    public func problem(with secret: Secret, runbookFile: String) -> String? { nil }
}

/// Environment variables, files and commands, as the runbook declares.
public struct LiveSecrets: SecretSource {
    private let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func value(of secret: Secret, runbookFile: String) async throws -> String {
        if let problem = problem(with: secret, runbookFile: runbookFile) {
            throw ActionError("secret '\(secret.name)': \(problem)")
        }
        switch secret.source {
        case .environment(let variable):
            return Self.withoutFinalNewline(environment[variable] ?? "")
        case .file(let path):
            let resolved = RunbookLoader.resolve(path, relativeTo: runbookFile)
            guard let data = FileManager.default.contents(atPath: resolved) else {
                throw ActionError("secret '\(secret.name)': cannot read \(resolved)")
            }
            return Self.withoutFinalNewline(String(decoding: data, as: UTF8.self))
        case .command(let command):
            // A private directory for its output, and a generous cap: a secret is never cut.
            let result = try await SpawnedProcess.withPrivateSpool(cap: OutputCap(keep: 1 << 20)) {
                try await $0.run(ProcessCommand(["/bin/sh", "-c", command]))
            }
            guard result.status == 0 else {
                throw ActionError("secret '\(secret.name)': command exited with status \(result.status)")
            }
            return result.stdout.trimmingCharacters(in: .newlines)
        }
    }

    /// `echo token > file`, or a CI secret pasted with its line end, leaves one newline that is
    /// not part of the secret: it is dropped (one "\n" or "\r\n", nothing else, so a value that really ends in
    /// whitespace keeps it and a token with a stray line break is reported, not silently fixed).
    static func withoutFinalNewline(_ value: String) -> String {
        if value.hasSuffix("\r\n") || value.hasSuffix("\n") { return String(value.dropLast()) }
        return value
    }

    /// A variable that is not set, or set to nothing (an empty value is never a secret, and the
    /// operator should know which mistake it was); a file that cannot be read. A command is not
    /// run: only running it would tell, and that is reading the secret.
    public func problem(with secret: Secret, runbookFile: String) -> String? {
        switch secret.source {
        case .environment(let variable):
            guard let value = environment[variable] else { return "environment variable \(variable) is not set; export it before the run" }
            return Self.withoutFinalNewline(value).isEmpty ? "environment variable \(variable) is set but empty; export it with the secret's value" : nil
        case .file(let path):
            let resolved = RunbookLoader.resolve(path, relativeTo: runbookFile)
            return FileManager.default.isReadableFile(atPath: resolved) ? nil : "cannot read \(resolved)"
        case .command:
            return nil
        }
    }
}
