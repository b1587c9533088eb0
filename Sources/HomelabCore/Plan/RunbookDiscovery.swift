import Foundation

/// Finds the runbooks among paths given to `validate`: files are taken as they are; directories
/// are searched for YAML files whose top level has a `runbook:` key (inventories and other
/// YAML are left alone).
public enum RunbookDiscovery {
    public static func runbooks(in paths: [String], limits: LoaderLimits = .default) -> ([String], Diagnostics) {
        var found: [String] = []
        var diagnostics = Diagnostics()
        let files = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.error(.file(path), "no such file or directory")
                continue
            }
            guard isDirectory.boolValue else {
                found.append(path)
                continue
            }
            let children = (files.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
            for child in children where child.hasSuffix(".yaml") || child.hasSuffix(".yml") {
                let full = (path as NSString).appendingPathComponent(child)
                if looksLikeRunbook(full, limits: limits) { found.append(full) }
            }
        }
        return (found, diagnostics)
    }

    /// A cheap look at the top-level keys; files that do not parse are included, so that their
    /// errors are reported rather than the file silently skipped.
    static func looksLikeRunbook(_ path: String, limits: LoaderLimits) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return true }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("runbook:") { return true }
        }
        let (root, diagnostics) = YAMLLoader(limits: limits).load(text: text, file: path)
        return root == nil && diagnostics.hasErrors && text.contains("steps:")
    }
}
