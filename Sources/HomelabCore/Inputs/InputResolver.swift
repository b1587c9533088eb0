/// Resolves a step's `with:` against its action's schema. The planner, `plan --probe`, the step
/// runner and the engine's notifications all go through here, so one input gives one value
/// everywhere and these rules hold for all of them:
///
/// - **null** is "not given" (often an inventory value not known yet): the default applies, and
///   a required input that is null is a mistake.
/// - **defaults** come from the schema only (`InputSpec.defaultValue`); actions read the value.
/// - **secrets** are whatever the `Evaluator`'s scope holds: a plan has no values and keeps
///   `<secret:name>`; a probe and a run read the ones the step uses first.
public struct InputResolver {
    /// Inputs given a value, in the order written, then the schema's defaults for the others.
    public private(set) var inputs: [ResolvedInput] = []
    /// Inputs written with a value that is null: not given.
    public private(set) var nulls: [ResolvedInput] = []
    public let schema: ActionSchema?

    /// Evaluates every input of the step with `evaluator` (its diagnostics stay in it).
    public init(_ step: Step, schema: ActionSchema?, evaluator: inout Evaluator) {
        self.schema = schema
        for input in step.inputs {
            let resolved = ResolvedInput(name: input.name, resolved: evaluator.resolve(input.value), node: input.value)
            if resolved.resolved == .value(.null) { nulls.append(resolved) } else { inputs.append(resolved) }
        }
        for spec in schema?.inputs ?? [] where spec.defaultValue != nil && !inputs.contains(where: { $0.name == spec.name }) {
            inputs.append(ResolvedInput(name: spec.name, resolved: .value(spec.defaultValue!), node: nil))
        }
    }

    /// Required inputs given as null.
    public var requiredNulls: [ResolvedInput] {
        nulls.filter { null in schema?.input(null.name)?.isRequired == true && !inputs.contains { $0.name == null.name } }
    }

    /// The inputs whose whole value is known now, by name (what `Action.validate` checks).
    public var known: [String: Value] {
        var values: [String: Value] = [:]
        for input in inputs { if let value = input.resolved.value { values[input.name] = value } }
        return values
    }

    /// At run time every input must be known: the values an action is called with, or the first
    /// reason why not (a value still unknown, an evaluation error, a required input that is null).
    public func values(diagnostics: Diagnostics) throws -> [String: Value] {
        var values: [String: Value] = [:]
        for input in inputs {
            guard let value = input.resolved.value else {
                throw ActionError("input '\(input.name)' is not known at run time: \(input.resolved.display.text)")
            }
            values[input.name] = value
        }
        if let problem = diagnostics.sorted.first { throw ActionError(problem.message) }
        if let null = requiredNulls.first { throw ActionError("input '\(null.name)' is required, but its value is null") }
        return values
    }
}
