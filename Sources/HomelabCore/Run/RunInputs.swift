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

    /// The step's inputs evaluated now (secrets and outputs at hand), then the schema's defaults.
    static func resolve(_ step: Step, schema: ActionSchema?, evaluator: inout Evaluator) throws -> [String: Value] {
        var inputs: [String: Value] = [:]
        for input in step.inputs {
            let resolved = evaluator.resolve(input.value)
            guard let value = resolved.value else {
                throw ActionError("input '\(input.name)' is not known at run time: \(resolved.display.text)")
            }
            if value != .null { inputs[input.name] = value }  // null is "not given": the default applies
        }
        for spec in schema?.inputs ?? [] where inputs[spec.name] == nil {
            if let value = spec.defaultValue { inputs[spec.name] = value }
        }
        if let problem = evaluator.diagnostics.sorted.first { throw ActionError(problem.message) }
        return inputs
    }
}
