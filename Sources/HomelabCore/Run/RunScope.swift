extension Scope {
    /// What every step of a run may read before its own item and upstream outputs are added:
    /// the plan's params, the inventory, the runbook's secrets by name, each step's declared
    /// outputs. The executor and `plan --probe` start from the same scope.
    static func run(_ loaded: LoadedRunbook, plan: Plan, registry: ActionRegistry) -> Scope {
        var scope = Scope(params: [:], inventory: loaded.inventory.map { Value($0.root) }, secrets: Set(loaded.runbook.secrets.map(\.name)))
        scope.storage = loaded.storage?.value
        scope.storageFailed = loaded.storageFailed
        for (name, value) in plan.params { scope.params[name] = .some(value.value) }
        for step in loaded.runbook.steps { scope.stepOutputs[step.id] = .some(registry[step.uses.value]?.schema.outputs.map(\.name)) }
        return scope
    }
}
