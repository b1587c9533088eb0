import Foundation

/// A runbook read from disk with its inventory, structurally decoded and statically validated.
public struct LoadedRunbook: Sendable {
    public var runbook: Runbook
    public var inventory: Inventory?
    /// The runbook names an inventory that could not be loaded (already reported).
    public var inventoryFailed: Bool
    public var validation: Validator.Result
    /// storage/, loaded only when the runbook reads `${storage...}`.
    public var storage: StorageConfig? = nil
    /// The runbook reads storage/ but it could not be loaded (already reported).
    public var storageFailed = false
}

/// Reads a runbook file and its inventory and runs the static checks. Everything it finds is
/// returned together; a nil runbook means the file could not be read or parsed at all.
public struct RunbookLoader: Sendable {
    public var registry: ActionRegistry
    public var limits: LoaderLimits

    public init(registry: ActionRegistry = .builtin, limits: LoaderLimits = .default) {
        self.registry = registry
        self.limits = limits
    }

    /// `storage` is `--storage DIR`; nil means `storage` in the current directory.
    public func load(path: String, inventoryOverride: String? = nil, storage: String? = nil) -> (LoadedRunbook?, Diagnostics) {
        let (root, diagnostics) = YAMLLoader(limits: limits).load(path: path)
        guard let root else { return (nil, diagnostics) }
        return load(root, path: path, inventoryOverride: inventoryOverride, storage: storage, diagnostics: diagnostics)
    }

    /// Loads runbook text as if it were the file at `path` (which names it in diagnostics and
    /// anchors its relative inventory path).
    public func load(text: String, path: String, inventoryOverride: String? = nil, storage: String? = nil) -> (LoadedRunbook?, Diagnostics) {
        let (root, diagnostics) = YAMLLoader(limits: limits).load(text: text, file: path)
        guard let root else { return (nil, diagnostics) }
        return load(root, path: path, inventoryOverride: inventoryOverride, storage: storage, diagnostics: diagnostics)
    }

    private func load(_ root: YAMLNode, path: String, inventoryOverride: String?, storage: String?, diagnostics: Diagnostics) -> (LoadedRunbook?, Diagnostics) {
        var diagnostics = diagnostics
        let (decoded, decodeDiagnostics) = RunbookDecoder.decode(root, file: path)
        diagnostics.append(contentsOf: decodeDiagnostics)
        guard let runbook = decoded else { return (nil, diagnostics) }

        var inventory: Inventory?
        if let override = inventoryOverride {
            inventory = loadInventory(at: override, shownAs: override, reference: nil, into: &diagnostics)
        } else if let reference = runbook.inventory {
            let resolved = Self.resolve(reference.value, relativeTo: path)
            inventory = loadInventory(at: resolved, shownAs: resolved, reference: reference, into: &diagnostics)
        }
        let validation = Validator.validate(runbook, registry: registry)
        diagnostics.append(contentsOf: validation.diagnostics)
        let failed = inventory == nil && (inventoryOverride != nil || runbook.inventory != nil)
        var loaded = LoadedRunbook(runbook: runbook, inventory: inventory, inventoryFailed: failed, validation: validation)
        // storage/ is read only by runbooks that use it, so its mistakes are not every runbook's.
        if Self.readsStorage(root) {
            let (config, found) = StorageLoader(limits: limits).load(directory: storage ?? StorageLoader.defaultDirectory, inventory: inventory)
            diagnostics.append(contentsOf: found)
            loaded.storage = config
            loaded.storageFailed = config == nil
        }
        return (loaded, diagnostics)
    }

    private func loadInventory(at path: String, shownAs name: String, reference: Located<String>?, into diagnostics: inout Diagnostics) -> Inventory? {
        if let reference, !FileManager.default.fileExists(atPath: path) {
            diagnostics.error(reference.location, "inventory file '\(reference.value)' not found (looked for \(path)); fix the path or pass --inventory FILE")
            return nil
        }
        let (root, loaded) = YAMLLoader(limits: limits).load(path: path, displayPath: name)
        diagnostics.append(contentsOf: loaded)
        guard let root else { return nil }
        guard root.mapping != nil else {
            diagnostics.error(root.location, "an inventory must be a mapping (hosts, nodes, endpoints...), found \(root.kindName)")
            return nil
        }
        return Inventory(file: name, root: root)
    }

    /// Whether any `${...}` in the runbook names `storage` (a cheap scan; the evaluator does the
    /// real check).
    static func readsStorage(_ root: YAMLNode) -> Bool {
        var nodes = [root]
        while let node = nodes.popLast() {
            switch node.kind {
            case .sequence(let items): nodes += items
            case .mapping(let pairs): nodes += pairs.map(\.value)
            case .scalar(let scalar):
                guard scalar.text.mayHoldExpression, scalar.text.containsBytes("storage"),
                    let template = try? ExpressionParser.parseTemplate(scalar.text)
                else { continue }
                if template.paths.contains(where: { $0.root == "storage" }) { return true }
            }
        }
        return false
    }

    /// Paths in a runbook are relative to the runbook's directory; `~` is the home directory.
    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("~/") {
            return FileManager.default.homeDirectoryForCurrentUser.path + String(path.dropFirst(1))
        }
        if path.hasPrefix("/") { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return normalize(directory.isEmpty ? path : directory + "/" + path)
    }

    /// Removes `.` and `dir/..` from a path without touching the file system.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
