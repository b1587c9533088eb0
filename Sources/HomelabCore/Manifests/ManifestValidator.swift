import Foundation

/// What validating kubernetes/ and flux/apps found: the diagnostics left after waivers, the
/// waivers honoured, and the findings they suppressed (SARIF reports those as suppressed).
public struct ManifestReport: Sendable {
    public var diagnostics = Diagnostics()
    public var waivers: [Waiver] = []
    public var suppressed: [(diagnostic: Diagnostic, waiver: Waiver)] = []
    /// How many services and Flux apps were checked (the summary line says so).
    public var serviceCount = 0
    public var appCount = 0

    public init() {}
}

/// The one entry point of the manifest rules: load, run every rule, apply waivers.
public enum ManifestValidator {
    public static func validate(root: String, domain: String?) -> ManifestReport {
        let (tree, loadDiagnostics) = ManifestLoader(root: root).load(domain: domain)
        return validate(tree, loadDiagnostics: loadDiagnostics)
    }

    public static func validate(_ tree: ManifestTree, loadDiagnostics: Diagnostics = Diagnostics()) -> ManifestReport {
        var report = ManifestReport()
        report.serviceCount = tree.services.count
        report.appCount = tree.apps.count
        var found: [Diagnostic] = []
        for rule in RuleCatalog.rules {
            var findings = RuleFindings(rule: rule.name)
            rule.check(tree, &findings)
            found += findings.diagnostics
        }
        var waiverFindings = RuleFindings(rule: WaiverRule.ruleName)
        var waivers: [Waiver] = []
        for file in tree.allFiles where !file.text.isEmpty {
            waivers += WaiverScanner.scan(text: file.text, file: file.path, markdown: false, findings: &waiverFindings)
        }
        for readme in tree.services.compactMap(\.readme) {
            waivers += WaiverScanner.scan(text: readme.text, file: readme.path, markdown: true, findings: &waiverFindings)
        }
        report.waivers = waivers
        report.diagnostics.append(contentsOf: loadDiagnostics)
        for diagnostic in found {
            if let waiver = waivers.first(where: { $0.file == diagnostic.location.file && $0.rule == diagnostic.rule }) {
                report.suppressed.append((diagnostic, waiver))
            } else {
                report.diagnostics.append(diagnostic)
            }
        }
        for diagnostic in waiverFindings.diagnostics { report.diagnostics.append(diagnostic) }
        return report
    }

    /// Whether `root` holds a kubernetes/ or flux/ tree to validate at all.
    public static func hasManifests(root: String) -> Bool {
        ["kubernetes", "flux"].contains { name in
            var flag: ObjCBool = false
            let path = root == "." || root.isEmpty ? name : (root as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
        }
    }

    /// The inventory's `network.domain`, read from `root/inventory.yaml`; nil when there is none
    /// (the ingress rule then says so once).
    public static func domain(root: String) -> String? {
        let path = root == "." || root.isEmpty ? "inventory.yaml" : (root as NSString).appendingPathComponent("inventory.yaml")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let (node, _) = YAMLLoader().load(path: path)
        return node?["network"]?["domain"]?.string
    }

    /// The repository root holding `path`: the nearest directory at or above it with
    /// inventory.yaml or .git.
    public static func repositoryRoot(containing path: String) -> String? {
        let manager = FileManager.default
        var current = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        if !(manager.fileExists(atPath: current.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            current = current.deletingLastPathComponent()
        }
        while true {
            if manager.fileExists(atPath: current.appendingPathComponent("inventory.yaml").path)
                || manager.fileExists(atPath: current.appendingPathComponent(".git").path)
            {
                return current.path
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }
}
