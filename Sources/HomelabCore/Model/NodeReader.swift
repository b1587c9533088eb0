/// Typed reads from YAML nodes that report a located diagnostic when the type is wrong.
struct NodeReader {
    var diagnostics = Diagnostics()

    /// The pairs of a mapping, or nil (with an error) when the node is something else.
    mutating func mapping(_ node: YAMLNode, _ what: String) -> [YAMLNode.Pair]? {
        if let pairs = node.mapping { return pairs }
        diagnostics.error(node.location, "\(what) must be a mapping, found \(node.kindName)")
        return nil
    }

    mutating func sequence(_ node: YAMLNode, _ what: String) -> [YAMLNode]? {
        if let items = node.sequence { return items }
        diagnostics.error(node.location, "\(what) must be a list, found \(node.kindName)")
        return nil
    }

    /// A scalar's text; numbers are accepted as their text (a step id `1`, a name `2024`).
    mutating func string(_ node: YAMLNode, _ what: String) -> String? {
        if let scalar = node.scalar, !node.isNull {
            if case .bool = Value(node) {
                diagnostics.error(node.location, "\(what) must be a string, found a boolean (quote it if you mean the text '\(scalar.text)')")
                return nil
            }
            return scalar.text
        }
        diagnostics.error(node.location, "\(what) must be a string, found \(node.kindName)")
        return nil
    }

    mutating func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        if case .bool(let value) = Value(node) { return value }
        var hint = ""
        if let text = node.scalar?.text, ["yes", "no", "on", "off", "y", "n"].contains(text.lowercased()) {
            hint = " (YAML 1.2 reads '\(text)' as text; write true or false)"
        }
        diagnostics.error(node.location, "\(what) must be true or false, found \(describe(node))\(hint)")
        return nil
    }

    mutating func positiveInt(_ node: YAMLNode, _ what: String) -> Int? {
        if case .int(let value) = Value(node), value >= 1 { return value }
        diagnostics.error(node.location, "\(what) must be a whole number of at least 1, found \(describe(node))")
        return nil
    }

    mutating func duration(_ node: YAMLNode, _ what: String) -> Duration? {
        if let text = node.string, let duration = DurationText.parse(text) { return duration }
        diagnostics.error(node.location, "\(what) must be a duration such as 30s, 10m or 1h30m, found \(describe(node))")
        return nil
    }

    /// Names each pair's key, reporting keys that are not strings and keys not in `known`.
    mutating func keys(_ pairs: [YAMLNode.Pair], known: [String], in what: String) -> [(String, YAMLNode.Pair)] {
        var result: [(String, YAMLNode.Pair)] = []
        for pair in pairs {
            guard let key = pair.key.string, pair.key.scalar != nil else {
                diagnostics.error(pair.key.location, "keys in \(what) must be strings, found \(pair.key.kindName)")
                continue
            }
            if !known.contains(key) {
                diagnostics.error(pair.key.location, "unknown key '\(key)' in \(what)\(Suggestion.hint(for: key, in: known))")
                continue
            }
            result.append((key, pair))
        }
        return result
    }

    func describe(_ node: YAMLNode) -> String {
        if let scalar = node.scalar, !node.isNull { return "'\(scalar.text)'" }
        return node.kindName
    }
}
