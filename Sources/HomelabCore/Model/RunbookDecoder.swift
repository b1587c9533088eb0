/// Turns a runbook's YAML tree into a `Runbook`, reporting every structural mistake it finds
/// (unknown keys, wrong types, duplicate ids) instead of stopping at the first.
public struct RunbookDecoder {
    private var reader = NodeReader()
    private let file: String

    public init(file: String) {
        self.file = file
    }

    public static func decode(_ root: YAMLNode, file: String) -> (Runbook?, Diagnostics) {
        var decoder = RunbookDecoder(file: file)
        let runbook = decoder.decodeRunbook(root)
        return (runbook, decoder.reader.diagnostics)
    }

    private mutating func decodeRunbook(_ root: YAMLNode) -> Runbook? {
        guard let pairs = reader.mapping(root, "a runbook") else { return nil }
        var runbook = Runbook(file: file, name: Located("", at: root.location))
        var sawName = false
        var stepsNode: YAMLNode?
        for (key, pair) in reader.keys(pairs, known: RunbookKeys.topLevel, in: "the runbook") {
            let value = pair.value
            switch key {
            case "runbook":
                sawName = true
                if let name = reader.string(value, "'runbook' (the runbook's name)") {
                    runbook.name = Located(name, at: value.location)
                }
            case "description": runbook.description = reader.string(value, "'description'")
            case "inventory":
                if let path = reader.string(value, "'inventory' (a path to the inventory file)") {
                    runbook.inventory = Located(path, at: value.textLocation)
                }
            case "params": runbook.params = decodeParams(value)
            case "secrets": runbook.secrets = decodeSecrets(value)
            case "defaults": decodeDefaults(value, into: &runbook)
            case "notify": runbook.notify = decodeNotify(value)
            case "steps": stepsNode = value
            default: break
            }
        }
        // Steps last: their retry settings start from the runbook's defaults, wherever those are written.
        if let stepsNode { runbook.steps = decodeSteps(stepsNode, defaultRetry: runbook.defaultRetry) }
        if !sawName {
            reader.diagnostics.error(root.location, "missing required key 'runbook' (the runbook's name)")
        }
        if stepsNode == nil {
            reader.diagnostics.error(root.location, "missing required key 'steps' (the list of steps)")
        }
        return runbook
    }

    private mutating func decodeParams(_ node: YAMLNode) -> [Param] {
        guard let pairs = reader.mapping(node, "'params'") else { return [] }
        var params: [Param] = []
        for pair in pairs {
            guard let name = name(of: pair.key, "param") else { continue }
            var param = Param(name: name, location: pair.key.location)
            if let spec = pair.value.mapping {
                for (key, field) in reader.keys(spec, known: RunbookKeys.param, in: "param '\(name)'") {
                    switch key {
                    case "description": param.description = reader.string(field.value, "'description'")
                    case "default": param.defaultValue = Value(field.value)
                    case "required": param.isRequired = reader.bool(field.value, "'required'") ?? false
                    case "enum":
                        if let items = reader.sequence(field.value, "'enum' of param '\(name)'") {
                            param.allowed = items.compactMap { reader.string($0, "each value of 'enum'") }
                        }
                    default: break
                    }
                }
                if let allowed = param.allowed, let value = param.defaultValue, !allowed.contains(value.text) {
                    let at = spec.first { $0.key.string == "default" }?.value.location ?? pair.key.location
                    reader.diagnostics.error(
                        at, "default '\(value.text)' of param '\(name)' is not one of its allowed values: \(allowed.joined(separator: ", "))")
                }
            } else if pair.value.sequence != nil {
                reader.diagnostics.error(
                    pair.value.location, "param '\(name)' must be a default value or a mapping with 'default', 'enum', 'required', 'description'; found a list")
                continue
            } else if !pair.value.isNull {
                param.defaultValue = Value(pair.value) // `name: value` is short for `name: { default: value }`
            } else {
                param.isRequired = true
            }
            if params.contains(where: { $0.name == name }) {
                reader.diagnostics.error(pair.key.location, "duplicate param '\(name)'")
                continue
            }
            params.append(param)
        }
        return params
    }

    private mutating func decodeSecrets(_ node: YAMLNode) -> [Secret] {
        guard let pairs = reader.mapping(node, "'secrets'") else { return [] }
        var secrets: [Secret] = []
        for pair in pairs {
            guard let name = name(of: pair.key, "secret"),
                let spec = reader.mapping(pair.value, "secret '\(name)'")
            else { continue }
            var sources: [Secret.Source] = []
            var description: String?
            for (key, field) in reader.keys(spec, known: RunbookKeys.secret, in: "secret '\(name)'") {
                guard let text = reader.string(field.value, "'\(key)' of secret '\(name)'") else { continue }
                switch key {
                case "env": sources.append(.environment(text))
                case "file": sources.append(.file(text))
                case "command": sources.append(.command(text))
                default: description = text
                }
            }
            if sources.count != 1 {
                let problem = sources.isEmpty ? "has no source" : "has more than one source"
                reader.diagnostics.error(pair.key.location, "secret '\(name)' \(problem): give exactly one of 'env', 'file' or 'command'")
            }
            // Kept even when rejected, so that its uses are not reported as unknown as well.
            let source = sources.first ?? .environment("")
            secrets.append(Secret(name: name, location: pair.key.location, source: source, description: description))
        }
        return secrets
    }

    private mutating func decodeDefaults(_ node: YAMLNode, into runbook: inout Runbook) {
        guard let pairs = reader.mapping(node, "'defaults'") else { return }
        for (key, pair) in reader.keys(pairs, known: RunbookKeys.defaults, in: "'defaults'") {
            if key == "retry" {
                runbook.defaultRetry = decodeRetry(pair.value, base: .once, what: "'retry' in 'defaults'") ?? .once
            } else {
                runbook.defaultTimeout = reader.duration(pair.value, "'timeout'")
            }
        }
    }

    /// `notify: { on: [failure, finish], with: { url: ..., token: ... } }`.
    private mutating func decodeNotify(_ node: YAMLNode) -> NotifyHook? {
        guard let pairs = reader.mapping(node, "'notify'") else { return nil }
        var hook = NotifyHook(location: node.location)
        for (key, pair) in reader.keys(pairs, known: RunbookKeys.notify, in: "'notify'") {
            if key == "with" {
                hook.inputs = decodeInputs(pair.value, step: "notify", what: "'with' of 'notify'")
                continue
            }
            let items = pair.value.sequence ?? [pair.value]
            var events: [NotifyHook.Event] = []
            for item in items {
                guard let name = reader.string(item, "an event in 'on' of 'notify'") else { continue }
                guard let event = NotifyHook.Event(rawValue: name) else {
                    let names = NotifyHook.Event.allCases.map(\.rawValue)
                    reader.diagnostics.error(
                        item.location,
                        "unknown event '\(name)' in 'on' of 'notify'\(Suggestion.hint(for: name, in: names)); events are: \(names.joined(separator: ", "))")
                    continue
                }
                if !events.contains(event) { events.append(event) }
            }
            hook.events = events
        }
        return hook
    }

    /// `retry: 3` or `retry: { attempts: 3, backoff: 5s, max-backoff: 1m }`.
    private mutating func decodeRetry(_ node: YAMLNode, base: RetryPolicy, what: String) -> RetryPolicy? {
        var policy = base
        if node.scalar != nil {
            guard case .int(let attempts) = Value(node), attempts >= 1 else {
                reader.diagnostics.error(
                    node.location,
                    "\(what) must be a number of attempts (at least 1) or { attempts: N, backoff: 5s, max-backoff: 1m }, found \(reader.describe(node))")
                return nil
            }
            policy.attempts = attempts
            return policy
        }
        guard let pairs = reader.mapping(node, what) else { return nil }
        for (key, pair) in reader.keys(pairs, known: RunbookKeys.retry, in: what) {
            switch key {
            case "attempts": policy.attempts = reader.positiveInt(pair.value, "'attempts'") ?? policy.attempts
            case "backoff": policy.backoff = reader.duration(pair.value, "'backoff'") ?? policy.backoff
            default: policy.maxBackoff = reader.duration(pair.value, "'max-backoff'") ?? policy.maxBackoff
            }
        }
        return policy
    }

    private mutating func decodeSteps(_ node: YAMLNode, defaultRetry: RetryPolicy) -> [Step] {
        guard let items = reader.sequence(node, "'steps'") else { return [] }
        if items.isEmpty { reader.diagnostics.error(node.location, "'steps' is empty: a runbook needs at least one step") }
        var steps: [Step] = []
        var firstSeen: [String: SourceLocation] = [:]
        for item in items {
            guard let step = decodeStep(item, defaultRetry: defaultRetry) else { continue }
            if let first = firstSeen[step.id] {
                reader.diagnostics.error(step.idLocation, "duplicate step id '\(step.id)' (first defined at line \(first.line))")
                continue
            }
            firstSeen[step.id] = step.idLocation
            steps.append(step)
        }
        return steps
    }

    private mutating func decodeStep(_ node: YAMLNode, defaultRetry: RetryPolicy) -> Step? {
        guard let pairs = reader.mapping(node, "each step") else { return nil }
        let written = pairs.first { $0.key.string == "id" }?.value.scalar?.text
        let fields = reader.keys(pairs, known: RunbookKeys.step, in: written.map { "step '\($0)'" } ?? "a step")
        let field = { (name: String) in fields.first { $0.0 == name }?.1 }
        guard let idPair = field("id") else {
            reader.diagnostics.error(node.location, "step has no 'id'")
            return nil
        }
        guard let id = reader.string(idPair.value, "step 'id'") else { return nil }
        guard Self.isValidName(id) else {
            reader.diagnostics.error(idPair.value.location, "step id '\(id)' is not valid: use letters, digits, '-' and '_', starting with a letter or digit")
            return nil
        }
        guard let usesPair = field("uses") else {
            reader.diagnostics.error(idPair.value.location, "step '\(id)' has no 'uses' (the action it runs)")
            return nil
        }
        guard let uses = reader.string(usesPair.value, "'uses' of step '\(id)'") else { return nil }
        var step = Step(id: id, location: node.location, idLocation: idPair.value.location, uses: Located(uses, at: usesPair.value.location))
        for (key, pair) in fields {
            let value = pair.value
            switch key {
            case "description": step.description = reader.string(value, "'description' of step '\(id)'")
            case "with": step.inputs = decodeInputs(value, step: id)
            case "needs": step.needs = decodeNeeds(value, step: id)
            case "for-each": step.forEach = value
            case "when": step.when = value
            case "retry": step.retry = decodeRetry(value, base: defaultRetry, what: "'retry' of step '\(id)'")
            case "timeout": step.timeout = reader.duration(value, "'timeout' of step '\(id)'")
            case "serial": step.serial = reader.string(value, "'serial' of step '\(id)' (a resource name)")
            case "finally": step.isFinally = reader.bool(value, "'finally' of step '\(id)'") ?? false
            case "destructive":
                step.isDestructive = reader.bool(value, "'destructive' of step '\(id)'") ?? false
                step.destructiveLocation = value.location
            case "drill":
                guard let text = reader.string(value, "'drill' of step '\(id)'") else { break }
                if let mode = Step.DrillMode(rawValue: text) {
                    step.drill = mode
                } else {
                    reader.diagnostics.error(value.location, "'drill' of step '\(id)' must be 'only' or 'never', found '\(text)'")
                }
            default: break
            }
        }
        return step
    }

    private mutating func decodeInputs(_ node: YAMLNode, step: String, what: String? = nil) -> [Step.Input] {
        let what = what ?? "'with' of step '\(step)'"
        guard let pairs = reader.mapping(node, what) else { return [] }
        var inputs: [Step.Input] = []
        for pair in pairs {
            guard let name = pair.key.string, pair.key.scalar != nil else {
                reader.diagnostics.error(pair.key.location, "input names in \(what) must be strings, found \(pair.key.kindName)")
                continue
            }
            inputs.append(Step.Input(name: name, nameLocation: pair.key.location, value: pair.value))
        }
        return inputs
    }

    /// `needs: a` or `needs: [a, b]`.
    private mutating func decodeNeeds(_ node: YAMLNode, step: String) -> [Located<String>] {
        if node.mapping != nil {
            reader.diagnostics.error(node.location, "'needs' of step '\(step)' must be a step id or a list of step ids, found a mapping")
            return []
        }
        let items = node.sequence ?? [node]
        return items.compactMap { item in
            reader.string(item, "each entry of 'needs' of step '\(step)'").map { Located($0, at: item.location) }
        }
    }

    private mutating func name(of key: YAMLNode, _ what: String) -> String? {
        guard let name = reader.string(key, "a \(what) name") else { return nil }
        guard Self.isValidName(name) else {
            reader.diagnostics.error(key.location, "\(what) name '\(name)' is not valid: use letters, digits, '-' and '_', starting with a letter or digit")
            return nil
        }
        return name
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIIAlphanumeric else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" || $0 == "_" }
    }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
