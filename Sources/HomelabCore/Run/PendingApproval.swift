/// A question the run stopped at because nobody could answer it (no terminal, no `--yes`): what
/// is asked and why, so that the operator can decide before answering with `resume --yes`.
public struct PendingApproval: Sendable, Equatable {
    /// Why the engine asks. The same `--yes` answers each, but the operator should know which.
    public enum Reason: String, Sendable, Equatable {
        /// The step is an approval gate (`uses: approval`): the runbook asks.
        case gate = "approval-step"
        /// A destructive step outside a drill.
        case destructive
        /// A step whose action is not safe to repeat was running when the run stopped, and its
        /// probe finds nothing done: running it again may do it twice.
        case interrupted

        /// Why, in words: "'gate' asks (an approval step): Wipe the pool?".
        public var text: String {
            switch self {
            case .gate: "an approval step"
            case .destructive: "a destructive step, outside a drill"
            case .interrupted: "it was running when the run stopped, and its action is not safe to repeat"
            }
        }
    }

    public var step: String
    /// The question, already redacted.
    public var question: String
    public var reason: Reason

    public init(step: String, question: String, reason: Reason) {
        self.step = step
        self.question = question
        self.reason = reason
    }
}
