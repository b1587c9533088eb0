/// The actions a runbook can name in `uses:`. Passed to the engine through its context, so
/// tests can add scripted actions without touching any global.
public struct ActionRegistry: Sendable {
    private var actions: [String: any Action] = [:]

    public init(_ actions: [any Action] = []) {
        for action in actions { register(action) }
    }

    public mutating func register(_ action: any Action) {
        actions[action.schema.name] = action
    }

    public subscript(name: String) -> (any Action)? { actions[name] }

    public var names: [String] { actions.keys.sorted() }

    /// Every schema, sorted by name.
    public var schemas: [ActionSchema] { names.compactMap { actions[$0]?.schema } }

    /// The actions built into homelab itself.
    public static let builtin = ActionRegistry([Exec(), Wait(), Approval(), Fail(), ManifestsValidate()])
}
