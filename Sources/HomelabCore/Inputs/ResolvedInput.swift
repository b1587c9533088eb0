/// One input of a step instance after evaluation: what the plan shows, what the action gets.
public struct ResolvedInput: Sendable {
    public var name: String
    public var resolved: Resolved
    /// Where the runbook writes it; nil for a default taken from the schema.
    public var node: YAMLNode?
}
