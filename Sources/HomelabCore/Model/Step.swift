/// One step of a runbook as written: an action to call, with inputs that may hold `${...}`.
public struct Step: Sendable {
    public enum DrillMode: String, Sendable, CaseIterable {
        /// Runs only in `homelab drill` (sandbox checks, cleanup of scratch resources).
        case only
        /// Never runs in a drill (production-only effects such as notifying the family).
        case never
    }

    public struct Input: Sendable {
        public var name: String
        public var nameLocation: SourceLocation
        public var value: YAMLNode
    }

    public var id: String
    public var location: SourceLocation
    public var idLocation: SourceLocation
    public var uses: Located<String>
    public var description: String?
    public var inputs: [Input]
    public var needs: [Located<String>]
    public var forEach: YAMLNode?
    public var when: YAMLNode?
    public var retry: RetryPolicy?
    public var timeout: Duration?
    public var serial: String?
    public var drill: DrillMode?
    public var isFinally: Bool
    public var isDestructive: Bool
    public var destructiveLocation: SourceLocation?

    public init(id: String, location: SourceLocation, idLocation: SourceLocation, uses: Located<String>) {
        self.id = id
        self.location = location
        self.idLocation = idLocation
        self.uses = uses
        self.inputs = []
        self.needs = []
        self.isFinally = false
        self.isDestructive = false
    }

    public func input(_ name: String) -> Input? { inputs.first { $0.name == name } }
}
