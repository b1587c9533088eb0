/// Static checks of a runbook against the action registry, before anything is evaluated:
/// unknown actions and inputs, unknown or circular dependencies, references to steps that are
/// not upstream, destructive steps not marked as such. Reports everything it finds.
public struct Validator {
    public struct Result: Sendable {
        /// Each step's dependencies, explicit and implied, without duplicates, in source order.
        public var dependencies: [String: [Dependency]]
        public var hasCycles: Bool
        public var diagnostics: Diagnostics
    }

    private let runbook: Runbook
    private let registry: ActionRegistry
    private var diagnostics = Diagnostics()

    public static func validate(_ runbook: Runbook, registry: ActionRegistry) -> Result {
        var validator = Validator(runbook: runbook, registry: registry)
        return validator.run()
    }

    private init(runbook: Runbook, registry: ActionRegistry) {
        self.runbook = runbook
        self.registry = registry
    }

    private mutating func run() -> Result {
        let ids = runbook.steps.map(\.id)
        let byID = Dictionary(runbook.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var dependencies: [String: [Dependency]] = [:]
        for step in runbook.steps {
            let action = checkAction(of: step)
            if let action { checkInputs(of: step, against: action.schema) }
            checkForEach(of: step)
            var seen = Set<String>()
            var deps: [Dependency] = []
            for need in step.needs {
                guard byID[need.value] != nil else {
                    diagnostics.error(need.location, "step '\(step.id)' needs unknown step '\(need.value)'\(Suggestion.hint(for: need.value, in: ids))")
                    continue
                }
                guard need.value != step.id else {
                    diagnostics.error(need.location, "step '\(step.id)' needs itself")
                    continue
                }
                if byID[need.value]!.isFinally && !step.isFinally {
                    diagnostics.error(
                        need.location,
                        "step '\(step.id)' needs '\(need.value)', a finally step, which runs after every other step; only finally steps can need it")
                    continue
                }
                if seen.insert(need.value).inserted { deps.append(Dependency(target: need.value, location: need.location, reason: .needs)) }
            }
            for (target, location) in references(of: step) where byID[target] != nil && target != step.id {
                checkReference(from: step, to: byID[target]!, at: location)
                if seen.insert(target).inserted { deps.append(Dependency(target: target, location: location, reason: .reference)) }
            }
            dependencies[step.id] = deps
        }
        if let hook = runbook.notify { checkNotify(hook) }
        let graph = StepGraph(nodes: ids, edges: dependencies.mapValues { $0.map(\.target) })
        let cycles = graph.cycles()
        for cycle in cycles {
            let first = cycle[0]
            let next = cycle[1]
            let location = dependencies[first]?.first { $0.target == next }?.location ?? byID[first]!.idLocation
            diagnostics.error(location, "dependency cycle: \(cycle.joined(separator: " -> "))")
        }
        return Result(dependencies: dependencies, hasCycles: !cycles.isEmpty, diagnostics: diagnostics)
    }

    private mutating func checkAction(of step: Step) -> (any Action)? {
        if let action = registry[step.uses.value] { return action }
        diagnostics.error(
            step.uses.location, "step '\(step.id)' uses unknown action '\(step.uses.value)'\(Suggestion.hint(for: step.uses.value, in: registry.names))")
        return nil
    }

    /// The runbook's `notify:` is checked like a step of the `notify` action, except that the
    /// engine writes title and message, and nothing upstream exists to read outputs from.
    private mutating func checkNotify(_ hook: NotifyHook) {
        guard let action = registry["notify"] else {
            diagnostics.error(hook.location, "'notify' needs the notify action, which this homelab does not have")
            return
        }
        let step = hook.step
        for input in hook.inputs where NotifyHook.engineInputs.contains(input.name) {
            diagnostics.error(input.nameLocation, "'\(input.name)' of 'notify' is written by homelab for each event; leave it out")
        }
        checkInputs(of: step, against: action.schema, provided: Set(NotifyHook.engineInputs), subject: "'notify'")
        for (target, location) in references(of: step) {
            diagnostics.error(location, "'notify' cannot read outputs of step '\(target)': notifications are sent outside the step graph")
        }
    }

    private mutating func checkInputs(of step: Step, against schema: ActionSchema, provided: Set<String> = [], subject: String? = nil) {
        let names = schema.inputs.map(\.name)
        var misspelled = Set<String>()
        for input in step.inputs where schema.input(input.name) == nil {
            if let meant = Suggestion.closest(to: input.name, in: names) { misspelled.insert(meant) }
            if RunbookKeys.step.contains(input.name) {
                diagnostics.error(input.nameLocation, "'\(input.name)' is a step key, not an input of '\(schema.name)': move it out of 'with'")
                continue
            }
            let accepted = names.isEmpty ? "it takes no inputs" : "it takes: " + names.joined(separator: ", ")
            diagnostics.error(
                input.nameLocation, "unknown input '\(input.name)' for action '\(schema.name)'\(Suggestion.hint(for: input.name, in: names)); \(accepted)")
        }
        // A required input that is only misspelled is reported once, at the misspelling.
        for spec in schema.inputs where spec.isRequired && step.input(spec.name) == nil && !misspelled.contains(spec.name) && !provided.contains(spec.name) {
            diagnostics.error(
                step.uses.location,
                "\(subject ?? "step '\(step.id)'") is missing required input '\(spec.name)' of action '\(schema.name)' (\(spec.description))")
        }
        switch schema.destructive {
        case .never: break
        case .always(let reason):
            if !step.isDestructive {
                diagnostics.error(
                    step.uses.location,
                    "step '\(step.id)' uses '\(schema.name)', which is destructive (\(reason)); add 'destructive: true' to the step to confirm")
            }
        case .whenInput(let name, let reason):
            if !step.isDestructive, let input = step.input(name), case .bool(true) = Value(input.value) {
                diagnostics.error(
                    input.value.location,
                    "step '\(step.id)' sets '\(name): true', which makes '\(schema.name)' destructive (\(reason)); add 'destructive: true' to the step to confirm"
                )
            }
        }
    }

    private mutating func checkForEach(of step: Step) {
        guard let node = step.forEach else { return }
        if node.sequence != nil { return }
        if let text = node.string, let template = try? ExpressionParser.parseTemplate(text), template.isSingleExpression { return }
        diagnostics.error(node.location, "'for-each' of step '\(step.id)' must be a list or a single '${...}' that gives a list, found \(node.kindName)")
    }

    /// `steps.X` references in the step's inputs, for-each and when, with where they are written.
    private mutating func references(of step: Step) -> [(String, SourceLocation)] {
        var found: [(String, SourceLocation)] = []
        var nodes = step.inputs.map(\.value)
        if let node = step.forEach { nodes.append(node) }
        if let node = step.when { nodes.append(node) }
        while let node = nodes.popLast() {
            switch node.kind {
            case .sequence(let items): nodes += items
            case .mapping(let pairs): nodes += pairs.map(\.value)
            case .scalar(let scalar):
                // Only step references matter here; most templates read params or the inventory.
                guard scalar.text.mayHoldExpression, scalar.text.containsBytes("steps") else { continue }
                guard let template = try? ExpressionParser.parseTemplate(scalar.text) else { continue }
                for path in template.paths {
                    if let id = path.stepID { found.append((id, Evaluator.location(of: path.offset, in: node))) }
                }
            }
        }
        return found.sorted { $0.1 < $1.1 }
    }

    /// Reading outputs needs the producer to run first, in the same kind of run.
    private mutating func checkReference(from step: Step, to target: Step, at location: SourceLocation) {
        let problem: String?
        if target.isFinally && !step.isFinally {
            problem = "'\(target.id)' is a finally step, which runs after every other step"
        } else if target.drill == .only && step.drill != .only {
            problem = "'\(target.id)' runs only in drills, and '\(step.id)' does not"
        } else if target.drill == .never && step.drill != .never {
            problem = "'\(target.id)' never runs in drills, and '\(step.id)' does"
        } else {
            problem = nil
        }
        if let problem {
            diagnostics.error(location, "step '\(step.id)' reads outputs of '\(target.id)', which is not upstream of it: \(problem)")
        }
    }
}
