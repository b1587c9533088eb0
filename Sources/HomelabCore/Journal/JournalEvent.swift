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
    case markerRecorded(step: String, name: String, value: Value)
    case runInterrupted(reason: String)
    case runFinished(outcome: RunOutcome)

    public var kind: String {
        switch self {
        case .runStarted: "runStarted"
        case .runResumed: "runResumed"
        case .stepStarted: "stepStarted"
        case .stepSucceeded: "stepSucceeded"
        case .stepSatisfied: "stepSatisfied"
        case .stepSkipped: "stepSkipped"
        case .stepFailed: "stepFailed"
        case .approvalGranted: "approvalGranted"
        case .markerRecorded: "markerRecorded"
        case .runInterrupted: "runInterrupted"
        case .runFinished: "runFinished"
        }
    }

    /// The instance the event is about, if any.
    public var step: String? {
        switch self {
        case .stepStarted(let step, _), .stepSucceeded(let step, _, _), .stepSatisfied(let step, _),
             .stepSkipped(let step, _), .stepFailed(let step, _, _, _, _), .approvalGranted(let step, _),
             .markerRecorded(let step, _, _):
            return step
        default:
            return nil
        }
    }
}

public enum RunOutcome: String, Sendable, Equatable {
    case succeeded
    case failed
    /// Stopped by a signal or at an approval gate; can be resumed.
    case interrupted
    /// The run deadline (the RTO budget) passed.
    case deadlineExceeded = "deadline-exceeded"
}

/// What a run is: written once, first, so that resume can tell what changed since.
public struct RunHeader: Sendable, Equatable {
    public var runID: String
    public var runbook: String
    public var file: String
    public var inventory: String?
    public var isDrill: Bool
    public var host: String
    public var user: String
    public var pid: Int32
    /// Param values, secrets redacted.
    public var params: Value
    /// Fingerprint of each instance's definition and plan-time inputs, by instance id.
    public var fingerprints: [(String, String)]

    public init(runID: String, runbook: String, file: String, inventory: String?, isDrill: Bool, host: String, user: String, pid: Int32, params: Value, fingerprints: [(String, String)]) {
        self.runID = runID
        self.runbook = runbook
        self.file = file
        self.inventory = inventory
        self.isDrill = isDrill
        self.host = host
        self.user = user
        self.pid = pid
        self.params = params
        self.fingerprints = fingerprints
    }

    public static func == (lhs: RunHeader, rhs: RunHeader) -> Bool {
        lhs.runID == rhs.runID && lhs.runbook == rhs.runbook && lhs.file == rhs.file && lhs.inventory == rhs.inventory
            && lhs.isDrill == rhs.isDrill && lhs.host == rhs.host && lhs.user == rhs.user && lhs.pid == rhs.pid
            && lhs.params == rhs.params && lhs.fingerprints.elementsEqual(rhs.fingerprints, by: ==)
    }
}
