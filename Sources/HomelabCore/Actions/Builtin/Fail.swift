/// `fail`: fails on purpose, for demos and tests of retries and failure handling.
public struct Fail: Action {
    public init() {}

    public let schema = ActionSchema(
        name: "fail",
        summary: "Fail with a message (for tests and demos); with 'succeed-after', fail only the first attempts.",
        inputs: [
            InputSpec("message", .string, required: true, "The error to report."),
            InputSpec("succeed-after", .integer, default: .int(0), "Fail this many attempts, then succeed (0: always fail)."),
        ],
        idempotent: true
    )

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let message = call.string("message") ?? "failed on purpose"
        guard case .int(let after)? = call.inputs["succeed-after"], after > 0, call.attempt > after else {
            throw ActionError(message, retryable: true)
        }
        return [:]
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "fails on purpose"
    }
}
