/// A value the operator can set with `--param name=value`.
public struct Param: Sendable {
    public var name: String
    public var location: SourceLocation
    public var description: String?
    public var defaultValue: Value?
    /// The values allowed, when the runbook restricts them.
    public var allowed: [String]?
    public var isRequired: Bool

    public init(
        name: String, location: SourceLocation, description: String? = nil, defaultValue: Value? = nil, allowed: [String]? = nil, isRequired: Bool = false
    ) {
        self.name = name
        self.location = location
        self.description = description
        self.defaultValue = defaultValue
        self.allowed = allowed
        self.isRequired = isRequired
    }
}
