/// storage/datasets.yaml → datasets, each located, with its tags as written (for checks that
/// point at a tag).
struct DatasetsDecoder {
    struct Decoded {
        var dataset: StorageDataset
        var tagLocations: [StorageTag: SourceLocation]
    }

    var reader = NodeReader()

    mutating func decode(_ root: YAMLNode) -> [Decoded] {
        guard let pairs = reader.mapping(root, "datasets.yaml") else { return [] }
        var result: [Decoded] = []
        var sawDatasets = false
        for (key, pair) in reader.keys(pairs, known: ["datasets"], in: "datasets.yaml") where key == "datasets" {
            sawDatasets = true
            guard let items = reader.sequence(pair.value, "'datasets'") else { continue }
            var seen: [String: SourceLocation] = [:]
            for item in items {
                guard let decoded = decodeDataset(item) else { continue }
                if let first = seen[decoded.dataset.name] {
                    reader.diagnostics.error(decoded.dataset.location, "dataset '\(decoded.dataset.name)' is declared twice (first at line \(first.line))")
                    continue
                }
                seen[decoded.dataset.name] = decoded.dataset.location
                result.append(decoded)
            }
        }
        if !sawDatasets {
            reader.diagnostics.error(root.location, "datasets.yaml needs a 'datasets:' list")
        }
        return result
    }

    private mutating func decodeDataset(_ node: YAMLNode) -> Decoded? {
        guard let pairs = reader.mapping(node, "a dataset") else { return nil }
        var name: String?
        var nameLocation = node.location
        var properties: [StorageDataset.Property] = []
        var tags: [StorageTag] = []
        var tagLocations: [StorageTag: SourceLocation] = [:]
        for (key, pair) in reader.keys(pairs, known: ["name", "properties", "tags"], in: "a dataset") {
            switch key {
            case "name":
                nameLocation = pair.value.textLocation
                if let text = reader.string(pair.value, "a dataset's 'name'") {
                    if let problem = ZFSName.problem(inDataset: text) {
                        reader.diagnostics.error(pair.value.textLocation, "dataset name '\(text)' \(problem)")
                    } else {
                        name = text
                    }
                }
            case "properties":
                properties = decodeProperties(pair.value)
            default:
                guard let items = reader.sequence(pair.value, "'tags'") else { continue }
                for item in items {
                    guard let text = reader.string(item, "a tag") else { continue }
                    guard let tag = StorageTag(rawValue: text) else {
                        let names = StorageTag.allCases.map(\.rawValue)
                        reader.diagnostics.error(
                            item.textLocation, "unknown tag '\(text)'\(Suggestion.hint(for: text, in: names)); tags are: \(names.joined(separator: ", "))")
                        continue
                    }
                    if tagLocations[tag] != nil {
                        reader.diagnostics.error(item.textLocation, "tag '\(text)' is given twice")
                        continue
                    }
                    tags.append(tag)
                    tagLocations[tag] = item.textLocation
                }
            }
        }
        if node.mapping?.contains(where: { $0.key.string == "name" }) == false {
            reader.diagnostics.error(node.location, "a dataset needs a 'name' (pool/path, such as tank/apps/immich)")
        }
        guard let name else { return nil }
        return Decoded(dataset: StorageDataset(name: name, properties: properties, tags: tags, location: nameLocation), tagLocations: tagLocations)
    }

    /// ZFS properties are text (`compression: lz4`, `atime: "off"`); YAML 1.2 keeps `off` as
    /// text, but `true`/`false` and nested values are mistakes.
    private mutating func decodeProperties(_ node: YAMLNode) -> [StorageDataset.Property] {
        guard let pairs = reader.mapping(node, "'properties'") else { return [] }
        var result: [StorageDataset.Property] = []
        for pair in pairs {
            guard let name = reader.string(pair.key, "a property name") else { continue }
            if !ZFSName.isPropertyName(name) {
                reader.diagnostics.error(
                    pair.key.textLocation, "'\(name)' is not a ZFS property name (lowercase letters, digits, '_', '.', ':' for user properties)")
                continue
            }
            guard let value = reader.string(pair.value, "property '\(name)'") else { continue }
            result.append(StorageDataset.Property(name, value))
        }
        return result
    }
}

/// What ZFS accepts in names, checked here so a typo fails in `homelab validate`, not on the host.
enum ZFSName {
    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "_-.: ".contains(c))
    }

    /// Why `name` is no dataset name, or nil when it is one (`pool/child/...`).
    static func problem(inDataset name: String) -> String? {
        if name.contains("@") || name.contains("#") { return "names a snapshot or bookmark; give the dataset (pool/path)" }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count < 2 { return "is a whole pool; a dataset is pool/path (such as tank/apps)" }
        if parts.contains(where: \.isEmpty) { return "has an empty part (a leading, trailing or double '/')" }
        if let bad = name.first(where: { $0 != "/" && !isNameCharacter($0) }) {
            return "contains '\(bad)'; ZFS names use letters, digits, '_', '-', '.', ':' and spaces"
        }
        return nil
    }

    /// A snapshot name's characters (the part after '@'), for the snapshot prefix.
    static func isSnapshotText(_ text: String) -> Bool {
        text.allSatisfy { $0 != " " && isNameCharacter($0) }
    }

    static func isPropertyName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "_.:".contains($0)) }
    }
}
