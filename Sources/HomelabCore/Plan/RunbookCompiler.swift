/// The one way from a runbook file to a plan, for every command (`plan`, `validate`, `run`,
/// `resume`) and test helper: load it (YAML, decoding, inventory, static checks), then plan it.
/// Both stages report into the same diagnostics, so one pass shows every mistake.
public struct RunbookCompiler: Sendable {
    /// What came out: the loaded runbook (nil when the file could not be read or parsed) and
    /// the plan (nil when there is none), with every diagnostic of both stages.
    public struct Compiled: Sendable {
        public var loaded: LoadedRunbook?
        public var plan: Plan?
        public var diagnostics: Diagnostics
    }

    public let loader: RunbookLoader
    public var registry: ActionRegistry { loader.registry }

    public init(registry: ActionRegistry = .builtin, limits: LoaderLimits = .default) {
        loader = RunbookLoader(registry: registry, limits: limits)
    }

    /// `inventory` (`--inventory`) replaces the runbook's own `inventory:`.
    /// `storage` (`--storage`) is the storage/ folder; nil means `storage` in the current directory.
    public func compile(path: String, inventory: String? = nil, storage: String? = nil, options: PlanOptions = PlanOptions()) -> Compiled {
        let (loaded, diagnostics) = loader.load(path: path, inventoryOverride: inventory, storage: storage)
        return plan(loaded, diagnostics, options)
    }

    /// Runbook text as if it were the file at `path` (which names it in diagnostics).
    public func compile(text: String, path: String, inventory: String? = nil, storage: String? = nil, options: PlanOptions = PlanOptions()) -> Compiled {
        let (loaded, diagnostics) = loader.load(text: text, path: path, inventoryOverride: inventory, storage: storage)
        return plan(loaded, diagnostics, options)
    }

    private func plan(_ loaded: LoadedRunbook?, _ diagnostics: Diagnostics, _ options: PlanOptions) -> Compiled {
        guard let loaded else { return Compiled(loaded: nil, plan: nil, diagnostics: diagnostics) }
        var diagnostics = diagnostics
        let (plan, more) = Planner.plan(loaded, registry: registry, options: options)
        diagnostics.append(contentsOf: more)
        return Compiled(loaded: loaded, plan: plan, diagnostics: diagnostics)
    }
}
