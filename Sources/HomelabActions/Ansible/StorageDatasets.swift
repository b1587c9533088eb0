import HomelabCore

/// The datasets of storage/ as the ZFS playbook reads them (`zfs_datasets`): name and
/// properties, values as strings as `zfs get` prints them. storage/ is read by its own loader
/// (StorageLoader), so the playbook gets what `homelab validate` and `backup status` check.
public enum StorageDatasets {
    /// `{name, properties}` per dataset of `directory`, in file order; nil with diagnostics that
    /// name the file, line and column. With an inventory, datasets on pools it lacks are errors.
    public static func load(directory: String, inventory: Inventory?) -> ([Value]?, Diagnostics) {
        let (config, diagnostics) = StorageLoader().load(directory: directory, inventory: inventory)
        guard let config, !diagnostics.hasErrors else { return (nil, diagnostics) }
        return (config.datasets.map(value), diagnostics)
    }

    static func value(_ dataset: StorageDataset) -> Value {
        .map([("name", .string(dataset.name)), ("properties", .map(dataset.properties.map { ($0.name, .string($0.value)) }))])
    }
}
