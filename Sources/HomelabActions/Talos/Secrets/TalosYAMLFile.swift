import HomelabCore

/// The first error of a YAML file that did not load, as a `TalosFileError`.
enum TalosYAMLFile {
    static func root(_ root: YAMLNode?, _ diagnostics: Diagnostics, file: String, what: String) throws(TalosFileError) -> YAMLNode {
        if let root { return root }
        let first = diagnostics.sorted.first { $0.severity == .error }
        throw TalosFileError(first?.location ?? .file(file), "not \(what): \(first?.message ?? "cannot read it")")
    }
}
