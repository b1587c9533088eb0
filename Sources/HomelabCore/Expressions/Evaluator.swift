/// Evaluates the `${...}` in a YAML node against a scope, reporting unknown names and bad paths
/// at the column where they are written.
public struct Evaluator {
    public var scope: Scope
    public var diagnostics = Diagnostics()
    /// Names of the secrets the evaluated nodes read, so a plan can say which steps hold secrets.
    public var secretsRead: Set<String> = []

    /// Parsed templates, shared by the evaluators of every instance of a runbook.
    public let templates: TemplateCache

    public init(scope: Scope, templates: TemplateCache = TemplateCache()) {
        self.scope = scope
        self.templates = templates
    }

    /// Evaluates every string in the node; other scalars keep their YAML type.
    public mutating func resolve(_ node: YAMLNode) -> Resolved {
        switch node.kind {
        case .sequence(let items):
            return .list(of: items.map { resolve($0) })
        case .mapping(let pairs):
            return .map(of: pairs.map { Resolved.Entry(key: Value($0.key).text, value: resolve($0.value)) })
        case .scalar(let scalar):
            guard scalar.text.mayHoldExpression else { return .value(Value(node)) }
            return resolve(template: scalar.text, at: node)
        }
    }

    public mutating func resolve(template text: String, at node: YAMLNode) -> Resolved {
        switch templates.parse(text) {
        case .success(let template):
            return evaluate(template, at: node)
        case .failure(let error):
            diagnostics.error(Self.location(of: error.offset, in: node), "invalid expression: \(error.message)")
            return .deferred(text)
        }
    }

    public mutating func evaluate(_ template: Template, at node: YAMLNode) -> Resolved {
        if template.isSingleExpression, case .expression(let expression, let source) = template.parts[0] {
            return evaluate(expression, source: source, at: node)
        }
        var text = ""
        var display = ""
        var unresolved = false
        var secret = false
        for part in template.parts {
            switch part {
            case .text(let literal):
                text += literal
                display += literal
            case .expression(let expression, let source):
                switch evaluate(expression, source: source, at: node) {
                case .value(let value) where value.isScalar:
                    text += value.text
                    display += value.text
                case .secret(let shown):
                    display += shown
                    unresolved = true
                    secret = true
                case .deferred(let shown):
                    display += shown
                    unresolved = true
                default:
                    let offset = expression.paths.first?.offset ?? 0
                    diagnostics.error(
                        Self.location(of: offset, in: node), "cannot put a list or mapping into text: '\(source)' must stand alone as the whole value")
                    display += source
                    unresolved = true
                }
            }
        }
        if secret { return .secret(display) }
        return unresolved ? .deferred(display) : .value(.string(text))
    }

    private mutating func evaluate(_ expression: Expression, source: String, at node: YAMLNode) -> Resolved {
        switch expression {
        case .literal(let value):
            return .value(value)
        case .path(let path):
            return lookup(path, source: source, at: node)
        case .not(let inner):
            let result = evaluate(inner, source: source, at: node)
            if let value = result.value { return .value(.bool(!value.isTruthy)) }
            return result.containsSecret ? .secret(source) : .deferred(source)
        case .equals(let a, let b), .notEquals(let a, let b):
            let left = evaluate(a, source: source, at: node)
            let right = evaluate(b, source: source, at: node)
            guard let l = left.value, let r = right.value else {
                return left.containsSecret || right.containsSecret ? .secret(source) : .deferred(source)
            }
            let equal = l.isScalar && r.isScalar ? l.text == r.text : l == r
            if case .equals = expression { return .value(.bool(equal)) }
            return .value(.bool(!equal))
        }
    }

    private mutating func lookup(_ path: Path, source: String, at node: YAMLNode) -> Resolved {
        // Computed only when there is something to report: this runs for every path read.
        var location: SourceLocation { Self.location(of: path.offset, in: node) }
        switch path.root {
        case "params":
            guard case .key(let name)? = path.segments.first else {
                diagnostics.error(location, "'params' needs a name: '${params.NAME}'")
                return .deferred(source)
            }
            guard let known = scope.params[name] else {
                diagnostics.error(location, "unknown param '\(name)'\(Suggestion.hint(for: name, in: scope.params.keys))")
                return .deferred(source)
            }
            guard let value = known else { return .deferred(source) }
            return walk(value, path, from: 1, what: "param '\(name)'", in: node).map(Resolved.value) ?? .deferred(source)
        case "inventory":
            guard let inventory = scope.inventory else {
                if scope.inventoryFailed { return .deferred(source) }
                diagnostics.error(location, "'\(path)' reads the inventory, but the runbook has none: add 'inventory: FILE' or pass --inventory FILE")
                return .deferred(source)
            }
            return walk(inventory, path, from: 0, what: "the inventory", in: node).map(Resolved.value) ?? .deferred(source)
        case "storage":
            guard let storage = scope.storage else {
                if scope.storageFailed { return .deferred(source) }
                diagnostics.error(location, "'\(path)' reads storage/, but none was loaded: run from the folder that holds storage/ or pass --storage DIR")
                return .deferred(source)
            }
            return walk(storage, path, from: 0, what: "storage/", in: node).map(Resolved.value) ?? .deferred(source)
        case "secrets":
            guard case .key(let name)? = path.segments.first else {
                diagnostics.error(location, "'secrets' needs a name: '${secrets.NAME}'")
                return .deferred(source)
            }
            guard scope.secrets.contains(name) else {
                diagnostics.error(location, "unknown secret '\(name)'\(Suggestion.hint(for: name, in: scope.secrets))")
                return .deferred(source)
            }
            if path.segments.count > 1 {
                diagnostics.error(location, "secret '\(name)' is a single value; '\(path)' cannot read inside it")
            }
            secretsRead.insert(name)
            if let value = scope.secretValues?[name] { return .value(.string(value)) }
            return .secret("<secret:\(name)>")
        case "steps":
            checkStepReference(path, at: location)
            if let id = path.stepID, id != scope.step, let outputs = scope.outputs[id], path.segments.count >= 3 {
                return walk(outputs, path, from: 2, what: "the outputs of step '\(id)'", in: node).map(Resolved.value) ?? .deferred(source)
            }
            return .deferred(source)
        case "item":
            guard let item = scope.item else {
                diagnostics.error(location, "'item' is only defined in a step with 'for-each'")
                return .deferred(source)
            }
            guard let value = item.value else { return .deferred(source) }
            return walk(value, path, from: 0, what: "item", in: node).map(Resolved.value) ?? .deferred(source)
        default:
            diagnostics.error(
                location,
                "unknown name '\(path.root)' in expression\(Suggestion.hint(for: path.root, in: Scope.roots)); expressions start with params, inventory, storage, secrets, steps or item"
            )
            return .deferred(source)
        }
    }

    /// `steps.X.outputs.Y`: X must exist and must not be the step itself; Y must be declared.
    private mutating func checkStepReference(_ path: Path, at location: SourceLocation) {
        guard let id = path.stepID else {
            diagnostics.error(location, "'steps' needs a step id: '${steps.ID.outputs.NAME}'")
            return
        }
        guard let outputs = scope.stepOutputs[id] else {
            diagnostics.error(location, "unknown step '\(id)' in '\(path)'\(Suggestion.hint(for: id, in: scope.stepOutputs.keys))")
            return
        }
        if id == scope.step {
            diagnostics.error(location, "step '\(id)' cannot read its own outputs")
            return
        }
        guard path.segments.count >= 3, path.segments[1] == .key("outputs"), case .key(let output) = path.segments[2] else {
            diagnostics.error(location, "read a step's result as '${steps.\(id).outputs.NAME}', not '${\(path)}'")
            return
        }
        guard let outputs else { return } // unknown action: already reported at its 'uses'
        if !outputs.contains(output) {
            let declared = outputs.isEmpty ? "it declares no outputs" : "it declares: " + outputs.joined(separator: ", ")
            diagnostics.error(location, "step '\(id)' has no output '\(output)'\(Suggestion.hint(for: output, in: outputs)); \(declared)")
        }
    }

    /// Follows the path's segments from `start` into `value`, reporting the first one that fails.
    private mutating func walk(_ value: Value, _ path: Path, from start: Int, what: String, in node: YAMLNode) -> Value? {
        var current = value
        for (index, segment) in path.segments.enumerated().dropFirst(start) {
            let here = path.prefix(index)
            // Point at the segment that fails: `.nodez` or `[4]`, past the dot.
            let dot = if case .key = segment { 1 } else { 0 }
            let location = Self.location(of: path.offset(ofSegment: index) + dot, in: node)
            switch (segment, current) {
            case (.key(let key), .map(let pairs)):
                guard let next = pairs.first(where: { $0.0 == key })?.1 else {
                    let hint = Suggestion.hint(for: key, in: pairs.map(\.0))
                    diagnostics.error(location, "\(what) has no key '\(key)' under '\(here)'\(hint)")
                    return nil
                }
                current = next
            case (.index(let i), .list(let items)):
                guard i < items.count else {
                    diagnostics.error(location, "index \(i) is out of range: '\(here)' has \(items.count) item\(items.count == 1 ? "" : "s")")
                    return nil
                }
                current = items[i]
            default:
                let access = segment.description
                diagnostics.error(location, "cannot read '\(access)' of '\(here)': it is \(current.kindName)")
                return nil
            }
        }
        return current
    }

    /// Where offset `offset` of a scalar's text is in the file: exact on a single-line scalar,
    /// the scalar's start for block scalars.
    static func location(of offset: Int, in node: YAMLNode) -> SourceLocation {
        guard let scalar = node.scalar, !scalar.text.containsNewline, scalar.isPlain || scalar.isQuoted else {
            return node.location
        }
        return node.textLocation.offset(by: offset)
    }
}
