/// `# homelab:waive <rule> <reason...>` in a YAML file (`<!-- homelab:waive <rule> <reason> -->`
/// in a README.md): the rule's findings in that file are accepted, for the reason given.
public struct Waiver: Sendable, Hashable {
    public let file: String
    public let line: Int
    public let column: Int
    public let rule: String
    public let reason: String

    public init(file: String, line: Int, column: Int, rule: String, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.rule = rule
        self.reason = reason
    }

    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    /// `file:line: waived <rule>: <reason>`
    public var rendered: String { "\(file):\(line): waived \(rule): \(reason)" }
}
