/// SARIF 2.1.0, the format editors and code-scanning CI read: one run of homelab, its rules
/// from the catalog, a result per finding, waived findings as in-source suppressions.
public enum SARIFRenderer {
    /// The rule id of findings that come from no manifest rule (runbooks, inventory, storage/).
    public static let genericRule = "homelab"

    public static func render(
        _ diagnostics: Diagnostics, suppressed: [(diagnostic: Diagnostic, waiver: Waiver)] = [], uri: (String) -> String = { $0 }
    ) -> Value {
        var rules: [Value] = RuleCatalog.rules.map { rule in
            .map([
                ("id", .string(rule.name)), ("shortDescription", .map([("text", .string(rule.summary))])),
                ("properties", .map([("category", .int(rule.category))])),
            ])
        }
        rules.append(
            .map([("id", .string(genericRule)), ("shortDescription", .map([("text", .string("runbook, inventory, storage and YAML checks"))]))]))
        var results = diagnostics.sorted.map { result($0, uri: uri) }
        for (diagnostic, waiver) in suppressed.sorted(by: { $0.diagnostic.location < $1.diagnostic.location }) {
            guard case .map(var fields) = result(diagnostic, uri: uri) else { continue }
            fields.append(("suppressions", .list([.map([("kind", .string("inSource")), ("justification", .string(waiver.reason))])])))
            results.append(.map(fields))
        }
        let driver: Value = .map([
            ("name", .string("homelab")), ("rules", .list(rules)),
        ])
        return .map([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .list([.map([("tool", .map([("driver", driver)])), ("results", .list(results))])])),
        ])
    }

    private static func result(_ diagnostic: Diagnostic, uri: (String) -> String) -> Value {
        let level: String
        switch diagnostic.severity {
        case .error: level = "error"
        case .warning: level = "warning"
        case .note: level = "note"
        }
        var physical: [(String, Value)] = [("artifactLocation", .map([("uri", .string(uri(diagnostic.location.file)))]))]
        if diagnostic.location.line > 0 {
            physical.append(
                ("region", .map([("startLine", .int(diagnostic.location.line)), ("startColumn", .int(max(1, diagnostic.location.column)))])))
        }
        return .map([
            ("ruleId", .string(diagnostic.rule ?? genericRule)),
            ("level", .string(level)),
            ("message", .map([("text", .string(diagnostic.message))])),
            ("locations", .list([.map([("physicalLocation", .map(physical))])])),
        ])
    }
}
