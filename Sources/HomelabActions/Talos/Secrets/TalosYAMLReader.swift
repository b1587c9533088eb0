import HomelabCore

/// Reads values by key path from a located YAML tree and says where a missing or wrong one is.
struct TalosYAMLReader {
    let root: YAMLNode

    func node(_ path: [String]) throws(TalosFileError) -> YAMLNode {
        var node = root
        for (index, key) in path.enumerated() {
            guard node.mapping != nil else {
                throw TalosFileError(node.location, "\(Self.name(path.prefix(index))) must be a mapping, found \(node.kindName)")
            }
            guard let next = node[key], !next.isNull else {
                throw TalosFileError(node.location, "\(Self.name(path.prefix(index + 1))) is missing")
            }
            node = next
        }
        return node
    }

    /// The node at `path`, nil when it or a parent is absent or null.
    func optionalNode(_ path: [String]) -> YAMLNode? {
        var node = root
        for key in path {
            guard let next = node[key], !next.isNull else { return nil }
            node = next
        }
        return node
    }

    func location(_ path: [String]) -> SourceLocation {
        (try? node(path))?.location ?? root.location
    }

    func string(_ path: [String]) throws(TalosFileError) -> String {
        let value = try node(path)
        guard let text = value.string, value.mapping == nil, value.sequence == nil else {
            throw TalosFileError(value.location, "\(Self.name(path[...])) must be a string, found \(value.kindName)")
        }
        return text
    }

    func optionalString(_ path: [String]) throws(TalosFileError) -> String? {
        guard optionalNode(path) != nil else { return nil }
        return try string(path)
    }

    /// A list of strings; absent is empty.
    func strings(_ path: [String]) throws(TalosFileError) -> [String] {
        guard let value = optionalNode(path) else { return [] }
        guard let items = value.sequence else {
            throw TalosFileError(value.location, "\(Self.name(path[...])) must be a list, found \(value.kindName)")
        }
        return try items.map { (item) throws(TalosFileError) -> String in
            guard let text = item.string, item.mapping == nil, item.sequence == nil else {
                throw TalosFileError(item.location, "the items of \(Self.name(path[...])) must be strings, found \(item.kindName)")
            }
            return text
        }
    }

    static func name(_ path: ArraySlice<String>) -> String {
        path.isEmpty ? "the file" : path.joined(separator: ".")
    }
}
