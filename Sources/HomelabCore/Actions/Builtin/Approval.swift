import Foundation

/// `approval`: a human gate. The run stops here until an operator approves (or `--yes`).
public struct Approval: Action {
    public init() {}

    public let schema = ActionSchema(
        name: "approval",
        summary: "Pause until an operator approves; records who approved and when.",
        inputs: [InputSpec("message", .string, required: true, "What the operator is asked to confirm.")],
        outputs: [
            OutputSpec("approved-by", "Who approved (user@host, or 'flag --yes')."),
            OutputSpec("approved-at", "When, as an ISO 8601 timestamp."),
        ],
        idempotent: true
    )

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let approver = try await context.approve(call.string("message") ?? "Continue?")
        let now = ISO8601DateFormatter().string(from: Date())
        return ["approved-by": .string(approver), "approved-at": .string(now)]
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "waits for an operator to approve (or --yes)"
    }
}
