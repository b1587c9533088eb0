import Foundation
import HomelabCore

/// What `validate` checks of storage/ besides the runbooks, and against which inventory (with
/// the inventory's drill sandbox bounds).
enum StorageValidation {
    /// `--storage DIR` when given; else `storage` when this directory has one.
    static func directory(_ given: String?) -> String? {
        if let given { return given }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: StorageLoader.defaultDirectory, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? StorageLoader.defaultDirectory : nil
    }

    /// The inventory is `--inventory`, else the `inventory.yaml` beside the storage folder (the
    /// repository's layout); without one the pools cannot be checked, which is said once.
    static func check(directory: String, inventory given: String?) -> Diagnostics {
        var diagnostics = Diagnostics()
        let path = given ?? inventoryBeside(directory)
        var inventory: Inventory?
        if let path {
            let (root, loaded) = YAMLLoader().load(path: path)
            diagnostics.append(contentsOf: loaded)
            if let root { inventory = Inventory(file: path, root: root) }
        }
        let (config, found) = StorageLoader().load(directory: directory, inventory: inventory)
        diagnostics.append(contentsOf: found)
        // The drill's sandbox bounds are checked here, where both the inventory and storage/'s
        // datasets are at hand: a drill prefix that holds a real dataset would let a drill
        // destroy data it is meant to prove recoverable.
        if let inventory {
            for finding in DrillBoundsCheck.check(inventory, datasets: config?.datasets.map(\.name) ?? []) { diagnostics.append(finding) }
        }
        if path == nil {
            diagnostics.warning(.file(directory), "no inventory beside storage/ and no --inventory: the datasets' pools were not checked")
        }
        return diagnostics
    }

    /// Diagnostics with those located in the storage folder's files removed.
    static func withoutStorageFindings(_ diagnostics: Diagnostics, in directory: String) -> Diagnostics {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return Diagnostics(diagnostics.filter { !$0.location.file.hasPrefix(base) && $0.location.file != directory })
    }

    private static func inventoryBeside(_ directory: String) -> String? {
        let trimmed = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let parent = (trimmed as NSString).deletingLastPathComponent
        let candidate = parent.isEmpty ? "inventory.yaml" : parent + "/inventory.yaml"
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }
}
