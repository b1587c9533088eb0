import Foundation

/// `plan --check-secrets`: is each secret there to be read when the run needs it? Looks only at
/// whether the variable is set or the file is readable; never reads a value, never runs a
/// `command` source (that would be a side effect of a plan).
public enum SecretCheck {
    public static func check(_ runbook: Runbook, environment: [String: String] = ProcessInfo.processInfo.environment) -> Diagnostics {
        var diagnostics = Diagnostics()
        for secret in runbook.secrets {
            switch secret.source {
            case .environment(let variable):
                if (environment[variable] ?? "").isEmpty {
                    diagnostics.error(secret.location, "secret '\(secret.name)' is not available: environment variable \(variable) is not set; export it before the run")
                }
            case .file(let path):
                let resolved = RunbookLoader.resolve(path, relativeTo: runbook.file)
                if !FileManager.default.isReadableFile(atPath: resolved) {
                    diagnostics.error(secret.location, "secret '\(secret.name)' is not available: cannot read \(resolved)")
                }
            case .command(let command):
                diagnostics.warning(secret.location, "secret '\(secret.name)' comes from a command ('\(command)'), which a plan does not run; it is checked when the run reads it")
            }
        }
        return diagnostics
    }
}
