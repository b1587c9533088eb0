/// Who answers the engine's questions: a gate's approval, a destructive step outside a drill,
/// the re-run of an interrupted non-idempotent step. The terminal asks a human; without one,
/// the answer is `--yes` or "not now", and the run stops at the question, resumable.
public protocol Approver: Sendable {
    /// Returns who approved; throws `ApprovalUnavailable` when nobody can answer now, or
    /// `ApprovalDenied` when the answer is no.
    func approve(step: String, question: String) async throws -> String
}

public struct ApprovalUnavailable: Error, Sendable, Equatable {
    public var step: String
    /// What was asked, so that the run can show it when it stops there.
    public var question: String
    public init(step: String, question: String = "") {
        self.step = step
        self.question = question
    }
}

public struct ApprovalDenied: Error, Sendable, Equatable {
    public var step: String
    public var by: String
    public init(step: String, by: String) {
        self.step = step
        self.by = by
    }
}

/// `--yes`: approves everything, and says so in the journal.
public struct AssumeYes: Approver {
    public init() {}
    public func approve(step: String, question: String) async throws -> String { "flag --yes" }
}

/// No terminal and no `--yes`: every question stops the run at that point.
public struct NobodyToAsk: Approver {
    public init() {}
    public func approve(step: String, question: String) async throws -> String {
        throw ApprovalUnavailable(step: step, question: question)
    }
}
