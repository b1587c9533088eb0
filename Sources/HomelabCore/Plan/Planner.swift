/// Expands a loaded runbook into a plan: for-each instances, resolved inputs, `when` decided
/// where it can be, instance dependencies, and waves. Reads nothing but the files already
/// loaded: no probes, no secrets, no network.
public struct Planner {
    private let loaded: LoadedRunbook
    private let registry: ActionRegistry
    private let options: PlanOptions
    private var diagnostics = Diagnostics()
    private let templates = TemplateCache()

    public static func plan(_ loaded: LoadedRunbook, registry: ActionRegistry = .builtin, options: PlanOptions = PlanOptions()) -> (Plan?, Diagnostics) {
        var planner = Planner(loaded: loaded, registry: registry, options: options)
        let plan = planner.build()
        return (plan, planner.diagnostics)
    }

    private init(loaded: LoadedRunbook, registry: ActionRegistry, options: PlanOptions) {
        self.loaded = loaded
        self.registry = registry
        self.options = options
    }

    private mutating func build() -> Plan? {
        let runbook = loaded.runbook
        let params = ParamResolver.resolve(runbook, options: options, diagnostics: &diagnostics)
        var scope = Scope(params: params, inventory: loaded.inventory.map { Value($0.root) }, secrets: Set(runbook.secrets.map(\.name)))
        scope.inventoryFailed = loaded.inventoryFailed
        scope.storage = loaded.storage?.value
        scope.storageFailed = loaded.storageFailed
        for step in runbook.steps { scope.stepOutputs[step.id] = .some(registry[step.uses.value]?.schema.outputs.map(\.name)) }

        var instances: [PlannedStep] = []
        var instancesOf: [String: [Int]] = [:]
        for step in runbook.steps {
            let expanded = expand(step, scope: scope)
            instancesOf[step.id] = Array(instances.count..<(instances.count + expanded.count))
            instances += expanded
        }
        guard !loaded.validation.hasCycles else { return nil }

        // Instance edges: each instance waits for every instance of each step it depends on.
        var edges = [[Int]](repeating: [], count: instances.count)
        for (index, instance) in instances.enumerated() {
            for dependency in loaded.validation.dependencies[instance.step] ?? [] {
                edges[index] += instancesOf[dependency.target] ?? []
            }
            instances[index].needs = edges[index].map { instances[$0].id }
        }
        assignWaves(&instances, edges: edges)
        let declared = Dictionary(uniqueKeysWithValues: runbook.steps.enumerated().map { ($1.id, $0) })
        let ordered = instances.enumerated().sorted {
            ($0.element.wave, declared[$0.element.step]!, $0.offset) < ($1.element.wave, declared[$1.element.step]!, $1.offset)
        }.map(\.element)
        let paramValues = runbook.params.map { param -> (String, Resolved) in
            (param.name, params[param.name]!.map(Resolved.value) ?? .deferred("<required: --param \(param.name)=VALUE>"))
        }
        var plan = Plan(
            runbook: runbook.name.value, description: runbook.description, file: runbook.file,
            inventory: loaded.inventory?.file, isDrill: options.isDrill, params: paramValues,
            secrets: runbook.secrets, steps: ordered, declaredSteps: runbook.steps.count,
            defaultRetry: runbook.defaultRetry, defaultTimeout: runbook.defaultTimeout)
        plan.notify = runbook.notify.map { planNotify($0, scope: scope) }
        return plan
    }

    /// Resolves the `notify:` inputs as a step's, so unknown params, secrets and inventory paths
    /// are reported before the run; title and message are the engine's, per event.
    private mutating func planNotify(_ hook: NotifyHook, scope: Scope) -> PlannedNotify {
        let planned = instance(of: hook.step, key: nil, item: nil, scope: scope)
        return PlannedNotify(events: hook.events, inputs: planned.inputs, secrets: planned.secrets)
    }

    /// Waves: a step is in the first wave after all of its dependencies. Finally steps come
    /// after every other step, whatever they declare.
    private func assignWaves(_ instances: inout [PlannedStep], edges: [[Int]]) {
        let order = StepGraph(nodes: instances.map(\.id), indexEdges: edges).topologicalOrder()
        var wave = [Int](repeating: 1, count: instances.count)
        for node in order where !instances[node].isFinally {
            wave[node] = 1 + (edges[node].map { wave[$0] }.max() ?? 0)
        }
        let lastRegular = instances.indices.filter { !instances[$0].isFinally }.map { wave[$0] }.max() ?? 0
        for node in order where instances[node].isFinally {
            let after = edges[node].map { instances[$0].isFinally ? wave[$0] : lastRegular }.max() ?? lastRegular
            wave[node] = max(after, lastRegular) + 1
        }
        for index in instances.indices { instances[index].wave = wave[index] }
    }

    /// The instances of one step: one, or one per for-each item.
    private mutating func expand(_ step: Step, scope: Scope) -> [PlannedStep] {
        guard let forEach = step.forEach else { return [instance(of: step, key: nil, item: nil, scope: scope)] }
        var evaluator = Evaluator(scope: scope, templates: templates)
        evaluator.scope.step = step.id
        let list = evaluator.resolve(forEach)
        diagnostics.append(contentsOf: evaluator.diagnostics)
        switch list {
        case .value(.list(let items)):
            if items.isEmpty {
                var empty = instance(of: step, key: nil, item: nil, scope: scope, evaluateInputs: false)
                empty.status = .skipped("for-each list is empty")
                return [empty]
            }
            return instances(of: step, items: items.map(Resolved.value), scope: scope)
        case .list(let items):
            return instances(of: step, items: items, scope: scope)
        case .deferred(let display):
            // Known only at run time: one placeholder instance stands for all of them.
            var placeholder = instance(of: step, key: .atRunTime, item: .deferred("${item}"), scope: scope)
            placeholder.status = .conditional("one instance per item of \(display), known at run time")
            return [placeholder]
        case .value(let value):
            if forEach.sequence == nil, evaluator.diagnostics.isEmpty {
                diagnostics.error(
                    Evaluator.location(of: 2, in: forEach),
                    "'for-each' of step '\(step.id)' must give a list, but \(forEach.string ?? "it") is \(value.kindName)")
            }
            return [instance(of: step, key: nil, item: nil, scope: scope, evaluateInputs: false)]
        case .map, .secret:
            diagnostics.error(forEach.location, "'for-each' of step '\(step.id)' must give a list, found \(list.containsSecret ? "a secret" : "a mapping")")
            return [instance(of: step, key: nil, item: nil, scope: scope, evaluateInputs: false)]
        }
    }

    private mutating func instances(of step: Step, items: [Resolved], scope: Scope) -> [PlannedStep] {
        var seen: [String: Int] = [:]
        var result: [PlannedStep] = []
        for (index, item) in items.enumerated() {
            let key = Self.instanceKey(item, index: index)
            if let first = seen[key] {
                let written = step.forEach?.sequence.map { $0[index].location } ?? step.forEach!.location
                diagnostics.error(
                    written,
                    "'for-each' of step '\(step.id)' gives items \(first + 1) and \(index + 1) the same name '\(key)'; instance names must be unique (give each item a unique 'name')"
                )
                continue
            }
            seen[key] = index
            result.append(instance(of: step, key: .key(key), item: item, itemIndex: index, scope: scope))
        }
        return result
    }

    /// An item's name: its `name`, else its `id`, else the scalar itself, else its index.
    public static func instanceKey(_ item: Resolved, index: Int) -> String {
        guard let value = item.value else { return String(index) }
        for key in ["name", "id"] {
            if let named = value[key], named.isScalar, named != .null { return named.text }
        }
        return value.isScalar && value != .null ? value.text : String(index)
    }

    private mutating func instance(of step: Step, key: InstanceID.Item?, item: Resolved?, itemIndex: Int? = nil, scope: Scope, evaluateInputs: Bool = true)
        -> PlannedStep
    {
        let id = InstanceID(step: step.id, item: key)
        let action = registry[step.uses.value]
        let schema = action?.schema
        var evaluator = Evaluator(scope: scope, templates: templates)
        evaluator.scope.step = step.id
        evaluator.scope.item = item ?? (step.forEach != nil ? .deferred("${item}") : nil)
        var inputs: [(String, Resolved)] = []
        var status = PlannedStep.Status.planned
        if evaluateInputs {
            let resolver = InputResolver(step, schema: schema, evaluator: &evaluator)
            for input in resolver.inputs {
                if let node = input.node, let spec = schema?.input(input.name) { check(input.resolved, against: spec, of: step, at: node) }
                inputs.append((input.name, input.resolved))
            }
            for null in resolver.requiredNulls {
                diagnostics.error(null.node!.location, "input '\(null.name)' of step '\(step.id)' is required, but its value is null")
            }
            if let action { validate(resolver, by: action, of: step, instance: id, itemIndex: itemIndex) }
            if let when = step.when {
                let condition = evaluator.resolve(when)
                if let value = condition.value {
                    if !value.isTruthy { status = .skipped("when: \(when.string ?? value.text) is false") }
                } else {
                    status = .conditional("when: \(condition.display.text)")
                }
            }
        }
        diagnostics.append(contentsOf: evaluator.diagnostics)
        if let drill = step.drill {
            if drill == .only && !options.isDrill { status = .skipped("runs only in drills") }
            if drill == .never && options.isDrill { status = .skipped("never runs in drills") }
        }
        let known = inputs.reduce(into: [String: Value]()) { $0[$1.0] = $1.1.display }
        return PlannedStep(
            instanceID: id, uses: step.uses.value,
            summary: action?.describe(known) ?? step.uses.value, inputs: inputs, needs: [], wave: 0, status: status,
            secrets: evaluator.secretsRead.sorted(), retry: step.retry ?? loaded.runbook.defaultRetry,
            timeout: step.timeout ?? loaded.runbook.defaultTimeout, serial: step.serial, drill: step.drill,
            isFinally: step.isFinally, isDestructive: step.isDestructive, isIdempotent: schema?.idempotent ?? false,
            item: item, fingerprint: options.fingerprints ? Fingerprint.of(step: step, inputs: inputs) : "")
    }

    /// Type and enum checks of an input whose value is known at plan time.
    private mutating func check(_ resolved: Resolved, against spec: InputSpec, of step: Step, at node: YAMLNode) {
        let value: Value
        switch resolved {
        case .value(let known): value = known
        case .list, .map: value = resolved.display // unknown parts stand in as their display text
        case .deferred, .secret: return
        }
        if !spec.type.accepts(value) {
            let shown = value.isScalar && value != .null ? " ('\(value.text)')" : ""
            diagnostics.error(node.location, "input '\(spec.name)' of step '\(step.id)' must be \(spec.type.expectation), found \(value.kindName)\(shown)")
        } else if let allowed = spec.allowed, !allowed.contains(value.text) {
            diagnostics.error(
                node.location, "input '\(spec.name)' of step '\(step.id)' must be one of \(allowed.joined(separator: ", ")), found '\(value.text)'")
        }
    }

    /// The action's own checks of the values the plan knows, each reported where the wrong part
    /// was written (the runbook, or the inventory the value came from).
    private mutating func validate(_ resolver: InputResolver, by action: any Action, of step: Step, instance: InstanceID, itemIndex: Int?) {
        let problems = action.validate(resolver.known)
        guard !problems.isEmpty else { return }
        let locator = InputLocator(inventory: loaded.inventory?.root, templates: templates, forEach: step.forEach, itemIndex: itemIndex)
        for problem in problems {
            guard let input = resolver.inputs.first(where: { $0.name == problem.input }) else { continue }
            let location = input.node.map { locator.location(of: problem.path, in: $0) } ?? step.uses.location
            diagnostics.error(location, "input '\(problem.input)' of step '\(instance)': \(problem.message)")
        }
    }
}
