import Foundation
import HomelabCore
import Testing

/// A repository written for one test: inventory.yaml, kubernetes/base and flux/apps in a fresh
/// temporary directory, starting from services that validate clean. Tests break one thing and
/// look for exactly the diagnostic it causes.
struct ManifestFixture {
    let root: String

    /// `webapp`: an exposed workload with storage, metrics, a config map, secrets and a dependency
    /// on `database`; `database`: the smallest workload that passes.
    init(services: [String: [String: String]] = ManifestFixture.workloads, apps: [String: String]? = nil) throws {
        root = NSTemporaryDirectory() + "homelab-manifests-" + UUID().uuidString
        try write("inventory.yaml", "network:\n  lan: 192.168.10.0/24\n  domain: lab.home.arpa\n")
        for (service, files) in services {
            for (name, text) in files { try write("kubernetes/base/\(service)/\(name)", text) }
        }
        for (name, text) in apps ?? Dictionary(uniqueKeysWithValues: services.keys.map { ($0, $0 == "webapp" ? Self.webappApp : Self.app($0)) }) {
            try write("flux/apps/\(name).yaml", text)
        }
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    func write(_ relative: String, _ text: String) throws {
        let full = path(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    func read(_ relative: String) throws -> String { try String(contentsOfFile: path(relative), encoding: .utf8) }

    func remove(_ relative: String) throws { try FileManager.default.removeItem(atPath: path(relative)) }

    /// Replaces text in a file; the text must be there exactly once.
    func replace(_ relative: String, _ old: String, with new: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let text = try read(relative)
        #expect(text.components(separatedBy: old).count == 2, "'\(old)' is not in \(relative) exactly once", sourceLocation: sourceLocation)
        try write(relative, text.replacingOccurrences(of: old, with: new))
    }

    /// Where `needle` first starts in a file, plus `columns`: what a diagnostic should point at.
    func locate(_ needle: String, in relative: String, columns: Int = 0) throws -> HomelabCore.SourceLocation {
        let text = try read(relative)
        let range = try #require(text.range(of: needle), "'\(needle)' is not in \(relative)")
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        let column = text[lineStart..<range.lowerBound].unicodeScalars.count + 1 + columns
        return HomelabCore.SourceLocation(file: path(relative), line: line, column: column)
    }

    func validate() -> ManifestReport {
        ManifestValidator.validate(root: root, domain: ManifestValidator.domain(root: root))
    }

    /// `rule file:line:column` of every diagnostic, sorted, relative to the fixture's root.
    func findings() -> [String] {
        validate().diagnostics.sorted.map { describe($0) }
    }

    func describe(_ diagnostic: Diagnostic) -> String {
        let file = diagnostic.location.file.hasPrefix(root + "/") ? String(diagnostic.location.file.dropFirst(root.count + 1)) : diagnostic.location.file
        return "\(diagnostic.rule ?? "-") \(file):\(diagnostic.location.line):\(diagnostic.location.column)"
    }

    func describe(_ location: HomelabCore.SourceLocation, _ rule: String) -> String {
        describe(Diagnostic(.error, location, "", rule: rule))
    }

    static func labels(_ service: String, indent: String = "    ") -> String {
        "\(indent)app: \(service)\n\(indent)managed-by: flux"
    }

    static func app(_ service: String, directory: String? = nil, dependsOn: [String] = []) -> String {
        let depends = dependsOn.isEmpty ? "" : "  dependsOn:\n" + dependsOn.map { "    - name: \($0)\n" }.joined()
        return """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: \(service)
              namespace: flux-system
              labels:
                app: \(service)
                managed-by: flux
            spec:
              interval: 10m
              path: ./kubernetes/base/\(directory ?? service)
              prune: true
              sourceRef:
                kind: GitRepository
                name: flux-system

            """ + depends
    }

    static var workloads: [String: [String: String]] { ["webapp": webapp, "database": database] }

    static let webappApp = app("webapp", dependsOn: ["database"])
}
