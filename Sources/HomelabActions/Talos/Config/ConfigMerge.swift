import HomelabCore

/// Talos' strategic merge of machine-config patches (configpatcher), on located YAML so a
/// conflict names the patch's line: documents matched by (apiVersion, kind, name), the v1alpha1
/// document with itself, others appended; maps merge per key; scalars overwrite unless the
/// patch's is a zero value (`""`, `0`), but `false` always overwrites; lists append, except the
/// fields Talos tags `merge:"replace"`, which the patch replaces; `$patch: delete` removes a key,
/// a list item (chosen by its first other key: value) or a whole document.
public enum ConfigMerge {
    /// The v1alpha1 fields tagged `merge:"replace"`.
    public static let replacedFields: Set<String> = ["cluster.network.podSubnets", "cluster.network.serviceSubnets", "cluster.apiServer.auditPolicy"]

    public static func apply(_ patch: [YAMLNode], to config: [YAMLNode]) throws(TalosFileError) -> [YAMLNode] {
        var documents = config
        for document in patch {
            guard document.mapping != nil else {
                throw TalosFileError(document.location, "a patch document must be a mapping, found \(document.kindName)")
            }
            let identity = identity(of: document)
            if isDelete(document) {
                documents.removeAll { self.identity(of: $0) == identity }
            } else if let index = documents.firstIndex(where: { self.identity(of: $0) == identity }) {
                documents[index] = try merge(documents[index], document, path: [])
            } else {
                documents.append(strip(document))
            }
        }
        return documents
    }

    public static func merge(_ left: YAMLNode, _ right: YAMLNode, path: [String]) throws(TalosFileError) -> YAMLNode {
        if right.isNull { return left }
        if left.isNull || replacedFields.contains(path.joined(separator: ".")) { return strip(right) }
        switch (left.kind, right.kind) {
        case (.mapping(let base), .mapping(let changes)):
            return YAMLNode(.mapping(try mergeMappings(base, changes, path: path)), at: left.location)
        case (.sequence(let base), .sequence(let changes)):
            return YAMLNode(.sequence(try mergeSequences(base, changes, path: path)), at: left.location)
        case (.scalar, .scalar):
            switch Value(right) {
            case .bool: return right
            case .string(""), .int(0), .double(0): return left
            default: return right
            }
        default:
            let name = path.isEmpty ? "the document" : path.joined(separator: ".")
            throw TalosFileError(right.location, "\(name) is \(right.kindName) here, but \(left.kindName) in the config this patches (at \(left.location))")
        }
    }

    private static func mergeMappings(_ base: [YAMLNode.Pair], _ changes: [YAMLNode.Pair], path: [String]) throws(TalosFileError) -> [YAMLNode.Pair] {
        var pairs = base
        for change in changes {
            let key = Value(change.key).text
            if key == "$patch" { continue }
            if isDelete(change.value) {
                pairs.removeAll { Value($0.key).text == key }
            } else if let index = pairs.firstIndex(where: { Value($0.key).text == key }) {
                pairs[index].value = try merge(pairs[index].value, change.value, path: path + [key])
            } else {
                pairs.append(YAMLNode.Pair(key: change.key, value: strip(change.value)))
            }
        }
        return pairs
    }

    private static func mergeSequences(_ base: [YAMLNode], _ changes: [YAMLNode], path: [String]) throws(TalosFileError) -> [YAMLNode] {
        var items = base
        for change in changes {
            guard isDelete(change) else {
                items.append(strip(change))
                continue
            }
            guard let selector = change.mapping?.first(where: { Value($0.key).text != "$patch" }) else {
                throw TalosFileError(
                    change.location, "an item of \(path.joined(separator: ".")) with $patch: delete needs a key: value that says which item to delete")
            }
            let key = Value(selector.key).text
            let wanted = Value(selector.value)
            items.removeAll { item in item[key].map { Value($0) == wanted } ?? false }
        }
        return items
    }

    /// v1alpha1 has no kind; other documents are matched by apiVersion, kind and name.
    static func identity(of document: YAMLNode) -> String {
        guard let kind = document["kind"]?.string else { return "v1alpha1" }
        return [document["apiVersion"]?.string ?? "", kind, document["name"]?.string ?? ""].joined(separator: "/")
    }

    private static func isDelete(_ node: YAMLNode) -> Bool {
        node["$patch"]?.string == "delete"
    }

    /// What a patch adds carries no directives of its own.
    private static func strip(_ node: YAMLNode) -> YAMLNode {
        switch node.kind {
        case .scalar: return node
        case .sequence(let items): return YAMLNode(.sequence(items.filter { !isDelete($0) }.map(strip)), at: node.location)
        case .mapping(let pairs):
            let kept = pairs.filter { Value($0.key).text != "$patch" && !isDelete($0.value) }
            return YAMLNode(.mapping(kept.map { YAMLNode.Pair(key: $0.key, value: strip($0.value)) }), at: node.location)
        }
    }
}
