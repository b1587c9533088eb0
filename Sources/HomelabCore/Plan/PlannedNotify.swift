/// What a plan shows of the runbook's `notify:`: when it fires and with which inputs.
public struct PlannedNotify: Sendable {
    public var events: [NotifyHook.Event]
    public var inputs: [(String, Resolved)]
    /// Secrets the notifications read (read only when one is sent).
    public var secrets: [String]

    public init(events: [NotifyHook.Event], inputs: [(String, Resolved)], secrets: [String]) {
        self.events = events
        self.inputs = inputs
        self.secrets = secrets
    }
}
