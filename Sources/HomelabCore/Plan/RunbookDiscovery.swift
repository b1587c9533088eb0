import Foundation

/// Finds the runbooks among paths given to `validate`: files are taken as they are; directories
/// are searched for YAML files whose top level has a `runbook:` key (inventories and other
/// YAML are left alone). A search that finds nothing is an error, with each skipped file and
/// why: "0 runbooks valid" let CI pass on a directory of misspelled runbooks.
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
            let yaml = children.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { (path as NSString).appendingPathComponent($0) }
            var skipped = Diagnostics()
            var foundHere = 0
            for file in yaml {
                switch look(at: file, limits: limits) {
                case .runbook:
                    found.append(file)
                    foundHere += 1
                case .misspelled(let key, let location):
                    diagnostics.error(location, "top-level key '\(key)' looks like a misspelled 'runbook:'; the file was skipped")
                case .other(let reason):
                    skipped.append(Diagnostic(.note, .file(file), "skipped: \(reason)"))
                }
            }
            guard foundHere == 0 else { continue }
            // Where nothing was found, every skipped file is listed: the answer is among them.
            diagnostics.append(contentsOf: skipped)
            let what = yaml.isEmpty ? "it has no .yaml or .yml files" : "\(yaml.count) YAML file\(yaml.count == 1 ? "" : "s") skipped"
            diagnostics.error(
                SourceLocation(file: path, line: 0, column: 0),
                "no runbook found (a runbook is a YAML file with a top-level 'runbook:' key); \(what)")
        }
        return (found, diagnostics)
    }

    enum Look: Equatable {
        case runbook
        /// A top-level key close to `runbook` (`runbok:`): a runbook with a typo, not another file.
        case misspelled(key: String, at: SourceLocation)
        case other(reason: String)
    }

    /// A cheap look at the top-level keys; files that do not parse are taken as runbooks, so
    /// that their errors are reported rather than the file silently skipped.
    static func look(at path: String, limits: LoaderLimits) -> Look {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return .runbook }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix("runbook:") {
            return .runbook
        }
        let (root, diagnostics) = YAMLLoader(limits: limits).load(text: text, file: path)
        guard let root else {
            guard diagnostics.hasErrors else { return .other(reason: "it is empty") }
            return text.contains("steps:") ? .runbook : .other(reason: "it is not valid YAML and has no 'steps:'")
        }
        guard let pairs = root.mapping else { return .other(reason: "its top level is not a mapping of keys") }
        for pair in pairs {
            guard let key = pair.key.string, Suggestion.closest(to: key, in: ["runbook"]) != nil else { continue }
            return .misspelled(key: key, at: pair.key.location)
        }
        return .other(reason: "no top-level 'runbook:' key")
    }
}
