/// What an action accepts and promises: the validator checks steps against it, the plan shows
/// it, docs/runbooks.md is generated from it.
public struct ActionSchema: Sendable {
    public var name: String
    public var summary: String
    public var inputs: [InputSpec]
    public var outputs: [OutputSpec]
    /// Safe to run again after a crash left it in flight (resume re-runs it without asking).
    public var idempotent: Bool
    public var destructive: Destructiveness

    public init(name: String, summary: String, inputs: [InputSpec], outputs: [OutputSpec] = [], idempotent: Bool, destructive: Destructiveness = .never) {
        self.name = name
        self.summary = summary
        self.inputs = inputs
        self.outputs = outputs
        self.idempotent = idempotent
        self.destructive = destructive
    }

    public func input(_ name: String) -> InputSpec? { inputs.first { $0.name == name } }

    /// The call with the schema's defaults for inputs it does not give. The engine's calls have
    /// them already (the `InputResolver` applies them); an action called directly gets the same.
    public func defaulted(_ call: ActionCall) -> ActionCall {
        var call = call
        for spec in inputs where call.inputs[spec.name] ?? .null == .null {
            if let value = spec.defaultValue { call.inputs[spec.name] = value }
        }
        return call
    }
    public func output(_ name: String) -> OutputSpec? { outputs.first { $0.name == name } }
}

/// Whether a step can destroy data; such steps need `destructive: true` in the runbook.
public enum Destructiveness: Sendable, Equatable {
    case never
    case always(reason: String)
    /// Destructive only when this boolean input is true (a restore with `force`).
    case whenInput(String, reason: String)
}

public struct InputSpec: Sendable {
    public var name: String
    public var type: InputType
    public var isRequired: Bool
    public var defaultValue: Value?
    public var allowed: [String]?
    /// The part of the lab the input names, if any (checked against a drill's sandbox).
    public var resource: ResourceKind?
    public var description: String

    /// `defaultValue` is the only place an input's default lives: the `InputResolver` fills it
    /// in, and actions read the resolved value.
    public init(
        _ name: String, _ type: InputType, required: Bool = false, default defaultValue: Value? = nil, allowed: [String]? = nil,
        resource: ResourceKind? = nil, _ description: String
    ) {
        self.name = name
        self.type = type
        self.isRequired = required
        self.defaultValue = defaultValue
        self.allowed = allowed
        self.resource = resource
        self.description = description
    }
}

public struct OutputSpec: Sendable {
    public var name: String
    public var description: String

    public init(_ name: String, _ description: String) {
        self.name = name
        self.description = description
    }
}

public enum InputType: String, Sendable, CaseIterable {
    case string, integer, boolean, duration, list, map
    /// A command line: one string (run by `/bin/sh -c`) or a list of arguments.
    case command
    case any

    /// Whether a resolved value fits; integers are accepted where strings are expected.
    public func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _): return true
        case (.string, .string), (.string, .int), (.string, .double): return true
        case (.integer, .int): return true
        case (.boolean, .bool): return true
        case (.duration, .string(let text)): return DurationText.parse(text) != nil
        case (.list, .list), (.map, .map): return true
        case (.command, .string): return true
        case (.command, .list(let items)): return !items.isEmpty && items.allSatisfy(\.isScalar)
        default: return false
        }
    }

    public var expectation: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "true or false"
        case .duration: "a duration such as 30s or 10m"
        case .list: "a list"
        case .map: "a mapping"
        case .command: "a command (a string, or a non-empty list of arguments)"
        case .any: "any value"
        }
    }
}
