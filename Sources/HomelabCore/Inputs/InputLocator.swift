/// Finds where the wrong part of an input was written, for an action's `InputProblem`. Values
/// lose their places when they are evaluated, so this walks back from the input's node in the
/// runbook down the problem's path, following a `${inventory...}` into the inventory's nodes and
/// a `${item...}` into the instance's for-each item (which may itself come from the inventory):
/// a wrong MAC in an inventory entry is reported at the inventory's line and column. Runs only
/// when there is a problem to place.
struct InputLocator {
    let inventory: YAMLNode?
    let templates: TemplateCache
    /// The step's `for-each` and the index of this instance's item in it.
    let forEach: YAMLNode?
    let itemIndex: Int?

    /// The place of `path` inside the value of `node`; as close as the trail can be followed.
    func location(of path: [Path.Segment], in node: YAMLNode) -> SourceLocation {
        find(path[...], in: node, readsExpressions: true, depth: 0).node.location
    }

    /// The deepest node on the path, and whether the whole path was found.
    private func find(_ path: ArraySlice<Path.Segment>, in node: YAMLNode, readsExpressions: Bool, depth: Int) -> (node: YAMLNode, complete: Bool) {
        // An item may read the inventory, which holds no expressions: the trail is short.
        guard depth < 8 else { return (node, false) }
        if readsExpressions, let read = Self.singlePath(node, templates), let origin = origin(of: read, depth: depth) {
            return find(path, in: origin, readsExpressions: false, depth: depth + 1)
        }
        guard let first = path.first else { return (node, true) }
        switch (first, node.kind) {
        case (.key(let key), .mapping(let pairs)):
            guard let pair = pairs.first(where: { Value($0.key).text == key }) else { return (node, false) }
            return find(path.dropFirst(), in: pair.value, readsExpressions: readsExpressions, depth: depth)
        case (.index(let index), .sequence(let items)) where index < items.count:
            return find(path.dropFirst(), in: items[index], readsExpressions: readsExpressions, depth: depth)
        default:
            return (node, false)
        }
    }

    /// The node a path read by an expression starts from, when it was written in a file.
    private func origin(of read: Path, depth: Int) -> YAMLNode? {
        let start: YAMLNode
        switch read.root {
        case "inventory":
            guard let inventory else { return nil }
            start = inventory
        case "item":
            guard let forEach, let itemIndex else { return nil }
            let item = find([.index(itemIndex)], in: forEach, readsExpressions: true, depth: depth + 1)
            guard item.complete else { return nil }
            start = item.node
        default:
            return nil // params, step outputs and secrets are not written in a runbook's files
        }
        let found = find(read.segments[...], in: start, readsExpressions: false, depth: depth + 1)
        return found.complete ? found.node : nil
    }

    /// The path of a scalar that is exactly one `${path}`.
    private static func singlePath(_ node: YAMLNode, _ templates: TemplateCache) -> Path? {
        guard let scalar = node.scalar, scalar.text.mayHoldExpression,
            case .success(let template) = templates.parse(scalar.text), template.isSingleExpression,
            case .expression(.path(let path), _) = template.parts[0]
        else { return nil }
        return path
    }
}
