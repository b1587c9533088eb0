/// An edge of the step graph: `step` needs `target`, because it says so in `needs` or because
/// it reads `${steps.target.outputs...}`.
public struct Dependency: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        case needs
        case reference
    }

    public var target: String
    public var location: SourceLocation
    public var reason: Reason
}
