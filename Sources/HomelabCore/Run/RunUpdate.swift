/// What the engine tells its observer. The engine never prints: terminals, JSON streams and log
/// files are observers. Texts in updates are already redacted.
public enum RunUpdate: Sendable, Equatable {
    case runStarted(runID: String, runbook: String, instances: Int, resumed: Bool)
    /// A resumed run's plan differs from the one journaled (the runbook, its params or the
    /// inventory changed): sent after `runStarted`, only when something changed.
    case planChanged(PlanChanges)
    /// Done in an earlier session of this run; not run again.
    case stepRestored(step: String, result: StepResult)
    case stepStarted(step: String, attempt: Int, of: Int)
    case stepMessage(step: String, message: String)
    case stepRetrying(step: String, attempt: Int, error: String, after: Duration)
    case stepFinished(step: String, result: StepResult, elapsed: Duration)
    case runStopping(reason: StopReason)
    /// Something the operator should know that is not about one step (a notification not sent).
    case runNotice(message: String)
    case runFinished(runID: String, outcome: RunOutcome, summary: RunSummary)
}

/// How one step instance ended.
public enum StepResult: Sendable, Equatable {
    case succeeded
    case satisfied(String)
    case skipped(String)
    case failed(String)
    /// Not run because a step it depends on failed (shown quietly; the root cause is elsewhere).
    case upstreamFailed(String)
    /// Not started: the run stopped first (interrupt, gate, deadline, a failure elsewhere).
    case notStarted

    public var isDone: Bool {
        switch self {
        case .succeeded, .satisfied, .skipped: true
        default: false
        }
    }
}

public struct RunSummary: Sendable, Equatable {
    public var succeeded = 0
    public var satisfied = 0
    public var skipped = 0
    public var failed = 0
    public var upstreamFailed = 0
    public var notStarted = 0
    public var restored = 0
    public var stopReason: StopReason?
    /// The questions the run stopped at because nobody could answer them (no terminal, no --yes).
    public var approvals: [PendingApproval] = []

    public init() {}

    mutating func count(_ result: StepResult) {
        switch result {
        case .succeeded: succeeded += 1
        case .satisfied: satisfied += 1
        case .skipped: skipped += 1
        case .failed: failed += 1
        case .upstreamFailed: upstreamFailed += 1
        case .notStarted: notStarted += 1
        }
    }
}

public protocol RunObserver: Sendable {
    func update(_ update: RunUpdate)
}

/// For tests and quiet runs.
public struct NoObserver: RunObserver {
    public init() {}
    public func update(_ update: RunUpdate) {}
}
