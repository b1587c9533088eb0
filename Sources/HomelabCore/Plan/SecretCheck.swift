import Foundation

/// Is each secret there to be read when the run needs it? Looks only at whether the variable is
/// set (and not empty) or the file is readable; never reads a value, never runs a `command`
/// source (that would be a side effect). `plan --check-secrets` checks every secret the runbook
/// declares; `run` and `resume` check those the steps still to run will read, before the first.
public enum SecretCheck {
    public static func check(_ runbook: Runbook, environment: [String: String] = ProcessInfo.processInfo.environment) -> Diagnostics {
        var diagnostics = unavailable(runbook.secrets, in: runbook, source: LiveSecrets(environment: environment))
        for secret in runbook.secrets {
            if case .command(let command) = secret.source {
                diagnostics.warning(
                    secret.location,
                    "secret '\(secret.name)' comes from a command ('\(command)'), which a plan does not run; it is checked when the run reads it")
            }
        }
        return diagnostics
    }

    /// The secrets that the instances of `plan` not yet done will read, each checked with
    /// `source`: an error per secret that cannot be read, naming the first step that needs it.
    public static func check(_ plan: Plan, runbook: Runbook, done: Set<String> = [], source: any SecretSource) -> Diagnostics {
        var neededBy: [String: String] = [:]
        for instance in plan.steps where !done.contains(instance.id) {
            if case .skipped = instance.status { continue }
            for name in instance.secrets where neededBy[name] == nil { neededBy[name] = instance.id }
        }
        let secrets = runbook.secrets.filter { neededBy[$0.name] != nil }
        return unavailable(secrets, in: runbook, source: source) { "needed by step '\(neededBy[$0.name]!)'" }
    }

    private static func unavailable(_ secrets: [Secret], in runbook: Runbook, source: any SecretSource, context: (Secret) -> String? = { _ in nil })
        -> Diagnostics
    {
        var diagnostics = Diagnostics()
        for secret in secrets {
            guard let problem = source.problem(with: secret, runbookFile: runbook.file) else { continue }
            let needed = context(secret).map { " (\($0))" } ?? ""
            diagnostics.error(secret.location, "secret '\(secret.name)'\(needed) is not available: \(problem)")
        }
        return diagnostics
    }
}
