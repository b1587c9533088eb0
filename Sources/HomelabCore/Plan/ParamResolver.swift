/// Merges the runbook's param defaults with `--param name=value`, checking names, enums and
/// required params.
enum ParamResolver {
    static func resolve(_ runbook: Runbook, options: PlanOptions, diagnostics: inout Diagnostics) -> [String: Value?] {
        var values: [String: Value?] = [:]
        for param in runbook.params { values[param.name] = .some(param.defaultValue) }
        for (name, text) in options.params {
            guard let param = runbook.param(name) else {
                let declared = runbook.params.isEmpty ? "it declares none" : "it declares: " + runbook.params.map(\.name).joined(separator: ", ")
                diagnostics.error(
                    .commandLine,
                    "--param \(name): runbook '\(runbook.name.value)' has no param '\(name)'\(Suggestion.hint(for: name, in: runbook.params.map(\.name))); \(declared)"
                )
                continue
            }
            if let allowed = param.allowed, !allowed.contains(text) {
                diagnostics.error(.commandLine, "--param \(name)=\(text): not an allowed value; use one of: \(allowed.joined(separator: ", "))")
                continue
            }
            values[name] = .some(Value.resolvePlain(text))
        }
        for param in runbook.params where values[param.name]! == nil {
            guard param.isRequired else {
                values[param.name] = .some(.null) // optional, no default: null
                continue
            }
            if options.requireParams {
                diagnostics.error(param.location, "param '\(param.name)' is required: pass --param \(param.name)=VALUE")
            }
            values[param.name] = .some(nil) // unknown until run time: evaluates as deferred
        }
        return values
    }
}
