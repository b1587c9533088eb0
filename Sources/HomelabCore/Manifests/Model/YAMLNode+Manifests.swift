extension YAMLNode {
    /// The values of every pair named `key` in this subtree, in document order: how references
    /// (`secretKeyRef`, `remoteRef`...) are found wherever the object nests them.
    func values(forKey key: String) -> [YAMLNode] {
        var found: [YAMLNode] = []
        collect(key, into: &found)
        return found
    }

    private func collect(_ key: String, into found: inout [YAMLNode]) {
        switch kind {
        case .scalar: return
        case .sequence(let items): for item in items { item.collect(key, into: &found) }
        case .mapping(let pairs):
            for pair in pairs {
                if pair.key.string == key { found.append(pair.value) }
                pair.value.collect(key, into: &found)
            }
        }
    }

    /// The strings of a scalar or of a list of scalars (`command`, `args`).
    var strings: [String] {
        if let sequence { return sequence.compactMap(\.string) }
        return string.map { [$0] } ?? []
    }

    /// `matchLabels.app` of a selector-like mapping.
    var matchedApp: String? { self["matchLabels"]?["app"]?.string }
}
