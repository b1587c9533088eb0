/// A runbook as written in its YAML file, with every part located for diagnostics.
public struct Runbook: Sendable {
    public var file: String
    public var name: Located<String>
    public var description: String?
    public var inventory: Located<String>?
    public var params: [Param]
    public var secrets: [Secret]
    public var defaultRetry: RetryPolicy
    public var defaultTimeout: Duration?
    public var steps: [Step]
    public var notify: NotifyHook?

    public init(file: String, name: Located<String>) {
        self.file = file
        self.name = name
        self.params = []
        self.secrets = []
        self.defaultRetry = .once
        self.steps = []
    }

    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }
    public func param(_ name: String) -> Param? { params.first { $0.name == name } }
    public func secret(_ name: String) -> Secret? { secrets.first { $0.name == name } }
}
