/// The runbook's `notify:` section: push notifications the engine sends by itself when the run
/// starts, a step fails, an approval is needed and the run ends, through the `notify` action.
/// The operator need not watch a terminal for hours to learn that the recovery waits on them.
public struct NotifyHook: Sendable {
    public enum Event: String, Sendable, CaseIterable {
        case start, failure, approval, finish
    }

    public var events: [Event]
    /// Inputs of the `notify` action (url, service, token...); the engine writes title and message.
    public var inputs: [Step.Input]
    public var location: SourceLocation

    /// Inputs the engine fills in for each event; the runbook may not set them.
    public static let engineInputs = ["title", "message"]

    /// The hook as a step of the `notify` action, so validation and planning treat it as one.
    public var step: Step {
        var step = Step(id: "notify", location: location, idLocation: location, uses: Located("notify", at: location))
        step.inputs = inputs
        return step
    }

    public init(events: [Event] = Event.allCases, inputs: [Step.Input] = [], location: SourceLocation) {
        self.events = events
        self.inputs = inputs
        self.location = location
    }
}
