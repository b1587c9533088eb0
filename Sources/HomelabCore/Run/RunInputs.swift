/// What an action is called with at run time: shared by steps and by the engine's notifications.
enum RunInputs {
    /// Reads the named secrets; each value is registered with the journal, so every output
    /// written afterwards shows it as `<secret:name>`. A value too short to hide inside words is
    /// said once, when it is first read.
    static func secretValues(_ names: [String], runbook: Runbook, environment: RunEnvironment) async throws -> [String: String] {
        let values = try await secretValues(names, runbook: runbook, from: environment.secrets)
        for (name, value) in values where environment.journal.addSecret(value, name: name) {
            if let warning = Redactor.shortSecretWarning(name: name, value: value) { environment.observer.update(.runNotice(message: warning)) }
        }
        return values
    }

    /// Reads the named secrets the runbook declares (a plan's probes read them this way too).
    static func secretValues(_ names: [String], runbook: Runbook, from source: any SecretSource) async throws -> [String: String] {
        var values: [String: String] = [:]
        for name in names {
            guard let secret = runbook.secret(name) else { continue }
            values[name] = try await source.value(of: secret, runbookFile: runbook.file)
        }
        return values
    }

    /// The step's inputs evaluated now (secrets and outputs at hand), by the `InputResolver`'s rules.
    static func resolve(_ step: Step, schema: ActionSchema?, evaluator: inout Evaluator) throws -> [String: Value] {
        let resolver = InputResolver(step, schema: schema, evaluator: &evaluator)
        return try resolver.values(diagnostics: evaluator.diagnostics)
    }
}
