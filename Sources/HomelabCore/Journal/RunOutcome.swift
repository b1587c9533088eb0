/// How a run ended, as its `runFinished` event records it.
public enum RunOutcome: String, Sendable, Equatable {
    case succeeded
    case failed
    /// Stopped by a signal or at an approval gate; can be resumed.
    case interrupted
    /// The run deadline (the RTO budget) passed.
    case deadlineExceeded = "deadline-exceeded"
}
