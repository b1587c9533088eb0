import Foundation

@testable import HomelabCore

/// Writes runbook text (and optionally an inventory beside it) to a fresh temporary directory.
struct TemporaryRunbook {
    let directory: String
    let path: String

    init(_ text: String, inventory: String? = nil) throws {
        directory = NSTemporaryDirectory() + "homelab-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/runbook.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if let inventory {
            try inventory.write(toFile: directory + "/inventory.yaml", atomically: true, encoding: .utf8)
        }
    }

    /// A runbook that already exists (a fixture), planned the same way.
    init(existing path: String) {
        directory = (path as NSString).deletingLastPathComponent
        self.path = path
    }

    /// Loads and plans it; returns the plan (nil on errors) and every diagnostic as text.
    func plan(_ options: PlanOptions = PlanOptions(), registry: ActionRegistry = Fixtures.registry) -> (Plan?, [String]) {
        let compiled = RunbookCompiler(registry: registry).compile(path: path, options: options)
        let messages = compiled.diagnostics.sorted.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        return (compiled.diagnostics.hasErrors ? nil : compiled.plan, messages)
    }
}
