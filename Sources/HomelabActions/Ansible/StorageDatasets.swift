import HomelabCore

/// The datasets of storage/datasets.yaml as the ZFS playbook needs them: name and properties
/// (values as strings, as `zfs get` prints them). Only what the playbook reads is read here; the
/// rest of storage/ (tags, policy) is the backup commands' to validate.
public enum StorageDatasets {
    /// `{name, properties}` per dataset of `directory`/datasets.yaml, in file order; diagnostics
    /// name the file, line and column.
    public static func load(directory: String) -> ([Value]?, Diagnostics) {
        let path = directory.hasSuffix("/") ? directory + "datasets.yaml" : directory + "/datasets.yaml"
        var (node, diagnostics) = YAMLLoader().load(path: path)
        guard let node else { return (nil, diagnostics) }
        guard let entries = node.mapping?.first(where: { $0.key.string == "datasets" })?.value.sequence else {
            diagnostics.error(node.location, "storage/datasets.yaml needs a 'datasets' list")
            return (nil, diagnostics)
        }
        var datasets: [Value] = []
        for entry in entries {
            guard let pairs = entry.mapping, let name = pairs.first(where: { $0.key.string == "name" })?.value.string else {
                diagnostics.error(entry.location, "every dataset needs a 'name'")
                continue
            }
            var properties: [(String, Value)] = []
            if let node = pairs.first(where: { $0.key.string == "properties" })?.value {
                guard let map = node.mapping else {
                    diagnostics.error(node.location, "'properties' of dataset '\(name)' must be a mapping")
                    continue
                }
                for pair in map {
                    guard let key = pair.key.string, let value = pair.value.scalar?.text else {
                        diagnostics.error(pair.value.location, "property values of dataset '\(name)' must be scalars")
                        continue
                    }
                    properties.append((key, .string(value)))
                }
            }
            datasets.append(.map([("name", .string(name)), ("properties", .map(properties))]))
        }
        return (diagnostics.hasErrors ? nil : datasets, diagnostics)
    }
}
