/// Prints diagnostics the way compilers do, followed by a one-line count.
public enum DiagnosticRenderer {
    public static func text(_ diagnostics: Diagnostics, style: TextStyle = .plain) -> String {
        var out = ""
        for diagnostic in diagnostics.sorted {
            let place = diagnostic.location.line == 0 ? diagnostic.location.file : diagnostic.location.description
            let label: String
            switch diagnostic.severity {
            case .error: label = style.red("error:")
            case .warning: label = style.yellow("warning:")
            case .note: label = style.dim("note:")
            }
            out += "\(style.bold(place + ":")) \(label) \(diagnostic.message)\n"
        }
        return out
    }

    public static func summary(_ diagnostics: Diagnostics) -> String {
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(count(diagnostics.errorCount, "error")), \(count(diagnostics.warningCount, "warning"))"
    }

    /// `"errors": N, "warnings": N, "diagnostics": [...]`: what `validate --json` reports, and
    /// what `plan --json` prints instead of a plan it could not make.
    public static func jsonFields(_ diagnostics: Diagnostics) -> [(String, Value)] {
        [("errors", .int(diagnostics.errorCount)), ("warnings", .int(diagnostics.warningCount)), ("diagnostics", json(diagnostics))]
    }

    /// `{"file":..., "line":..., "column":..., "severity":..., "message":...}` per diagnostic.
    public static func json(_ diagnostics: Diagnostics) -> Value {
        .list(
            diagnostics.sorted.map { diagnostic in
                .map(
                    [
                        ("file", .string(diagnostic.location.file)),
                        ("line", .int(diagnostic.location.line)),
                        ("column", .int(diagnostic.location.column)),
                        ("severity", .string(diagnostic.severity.rawValue)),
                        ("message", .string(diagnostic.message)),
                    ] + (diagnostic.rule.map { [("rule", Value.string($0))] } ?? []))
            })
    }
}
