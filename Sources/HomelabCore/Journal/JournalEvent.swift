/// The facts a run appends to its journal. Append-only: replaying them in order gives where the
/// run stands. Values in events have secrets redacted before they are written.
public enum JournalEvent: Sendable, Equatable {
    case runStarted(RunHeader)
    /// A resumed run continues the same journal; `changed` lists instances that will run again
    /// because the runbook, params or inventory changed (or `--from` asked for it).
    case runResumed(pid: Int32, changed: [String], fingerprints: [String: String])
    case stepStarted(step: String, attempt: Int)
    case stepSucceeded(step: String, attempt: Int, outputs: Value)
    case stepSatisfied(step: String, reason: String)
    case stepSkipped(step: String, reason: String)
    case stepFailed(step: String, attempt: Int, error: String, retryable: Bool, final: Bool)
    case approvalGranted(step: String, by: String)
    case runInterrupted(reason: StopReason)
    case runFinished(outcome: RunOutcome)

    public var kind: Kind {
        switch self {
        case .runStarted: .runStarted
        case .runResumed: .runResumed
        case .stepStarted: .stepStarted
        case .stepSucceeded: .stepSucceeded
        case .stepSatisfied: .stepSatisfied
        case .stepSkipped: .stepSkipped
        case .stepFailed: .stepFailed
        case .approvalGranted: .approvalGranted
        case .runInterrupted: .runInterrupted
        case .runFinished: .runFinished
        }
    }

    /// The instance the event is about, if any.
    public var step: String? {
        switch self {
        case .stepStarted(let step, _), .stepSucceeded(let step, _, _), .stepSatisfied(let step, _),
            .stepSkipped(let step, _), .stepFailed(let step, _, _, _, _), .approvalGranted(let step, _):
            return step
        default:
            return nil
        }
    }
}
