import Foundation

/// Reads storage/ (datasets.yaml and policy.yaml) into a `StorageConfig`, reporting every
/// mistake at once with its file, line and column, as runbooks are reported. The inventory, when
/// there is one, is the source of truth for pools: a dataset or a replica pool it does not list
/// is an error.
public struct StorageLoader: Sendable {
    public static let datasetsFile = "datasets.yaml"
    public static let policyFile = "policy.yaml"
    /// What `--storage` means when it is not given, relative to the current directory.
    public static let defaultDirectory = "storage"

    public var limits: LoaderLimits

    public init(limits: LoaderLimits = .default) {
        self.limits = limits
    }

    /// Loads `directory`; nil when a file could not be read or parsed, or has errors.
    public func load(directory: String, inventory: Inventory?) -> (StorageConfig?, Diagnostics) {
        var diagnostics = Diagnostics()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.error(.file(directory), "storage folder not found (it holds datasets.yaml and policy.yaml); pass --storage DIR")
            return (nil, diagnostics)
        }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let loader = YAMLLoader(limits: limits)
        let (datasetsRoot, datasetsLoad) = loader.load(path: base + "/" + Self.datasetsFile)
        let (policyRoot, policyLoad) = loader.load(path: base + "/" + Self.policyFile)
        diagnostics.append(contentsOf: datasetsLoad)
        diagnostics.append(contentsOf: policyLoad)
        guard let datasetsRoot, let policyRoot else { return (nil, diagnostics) }
        return decode(datasets: datasetsRoot, policy: policyRoot, directory: directory, inventory: inventory, diagnostics: diagnostics)
    }

    /// Decodes already loaded files (tests hand in text through `YAMLLoader.load(text:file:)`).
    public func decode(datasets: YAMLNode, policy: YAMLNode, directory: String, inventory: Inventory?, diagnostics: Diagnostics = Diagnostics())
        -> (StorageConfig?, Diagnostics)
    {
        var diagnostics = diagnostics
        var datasetsDecoder = DatasetsDecoder()
        let decodedDatasets = datasetsDecoder.decode(datasets)
        var policyDecoder = PolicyDecoder()
        let decodedPolicy = policyDecoder.decode(policy)
        diagnostics.append(contentsOf: datasetsDecoder.reader.diagnostics)
        diagnostics.append(contentsOf: policyDecoder.reader.diagnostics)
        var checks = StorageChecks(pools: inventory.map(InventoryPools.init))
        checks.check(decodedDatasets, decodedPolicy)
        diagnostics.append(contentsOf: checks.diagnostics)
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        let config = StorageConfig(directory: directory, datasets: decodedDatasets.map(\.dataset), policy: decodedPolicy.policy)
        return (config, diagnostics)
    }
}

/// The pools the inventory declares (`zfs.pools[].name`) and the file that declares them.
struct InventoryPools {
    var file: String
    var names: [String]

    init(_ inventory: Inventory) {
        file = inventory.file
        names = inventory.root["zfs"]?["pools"]?.sequence?.compactMap { $0["name"]?.string } ?? []
    }
}
