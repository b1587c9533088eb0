import Foundation

/// Reads secret values when a step needs them, and only then.
public protocol SecretSource: Sendable {
    func value(of secret: Secret, runbookFile: String) async throws -> String
}

/// Environment variables, files and commands, as the runbook declares.
public struct LiveSecrets: SecretSource {
    private let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func value(of secret: Secret, runbookFile: String) async throws -> String {
        switch secret.source {
        case .environment(let variable):
            guard let value = environment[variable], !value.isEmpty else {
                throw ActionError("secret '\(secret.name)': environment variable \(variable) is not set")
            }
            return value
        case .file(let path):
            let resolved = RunbookLoader.resolve(path, relativeTo: runbookFile)
            guard let data = FileManager.default.contents(atPath: resolved) else {
                throw ActionError("secret '\(secret.name)': cannot read \(resolved)")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
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
}
