/// `wait`: pauses the run for a while (to let a service settle, or in demos).
public struct Wait: Action {
    public init() {}

    public let schema = ActionSchema(
        name: "wait",
        summary: "Wait for a fixed duration.",
        inputs: [InputSpec("duration", .duration, required: true, "How long to wait, such as 30s or 2m.")],
        idempotent: true
    )

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        guard let text = call.string("duration"), let duration = DurationText.parse(text) else {
            throw ActionError("'duration' is not a duration: \(call.string("duration") ?? "missing")")
        }
        try await context.sleep(for: duration)
        return [:]
    }
}
