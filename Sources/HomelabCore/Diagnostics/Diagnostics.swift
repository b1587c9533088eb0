/// Diagnostics gathered across every check, so that all mistakes are reported at once.
/// Duplicates (the same finding reached through several for-each instances) are kept once.
public struct Diagnostics: Sendable, Sequence {
    private var items: [Diagnostic] = []
    private var seen: Set<Diagnostic> = []

    public init() {}

    public init(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { append(diagnostic) }
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        if seen.insert(diagnostic).inserted { items.append(diagnostic) }
    }

    public mutating func error(_ location: SourceLocation, _ message: String) {
        append(.error(location, message))
    }

    public mutating func warning(_ location: SourceLocation, _ message: String) {
        append(.warning(location, message))
    }

    public mutating func append(contentsOf other: Diagnostics) {
        for diagnostic in other.items { append(diagnostic) }
    }

    public var hasErrors: Bool { items.contains { $0.severity == .error } }
    /// Errors in what was typed (`--param`), not in a file: the command line is wrong.
    public var hasCommandLineErrors: Bool { items.contains { $0.severity == .error && $0.location == .commandLine } }
    public var errorCount: Int { items.filter { $0.severity == .error }.count }
    public var warningCount: Int { items.filter { $0.severity == .warning }.count }
    public var isEmpty: Bool { items.isEmpty }
    public var count: Int { items.count }

    /// In source order: by file, line, column, then severity and message for a stable tie-break.
    public var sorted: [Diagnostic] {
        items.sorted {
            ($0.location, $0.severity, $0.message) < ($1.location, $1.severity, $1.message)
        }
    }

    public func makeIterator() -> IndexingIterator<[Diagnostic]> { sorted.makeIterator() }
}
