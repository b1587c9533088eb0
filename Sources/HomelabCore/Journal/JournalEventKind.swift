extension JournalEvent {
    /// The `event` field of a journal line. The codec reads a line by switching over these, so
    /// an event that is written but cannot be read back does not compile.
    public enum Kind: String, Sendable, CaseIterable {
        case runStarted, runResumed, stepStarted, stepSucceeded, stepSatisfied, stepSkipped, stepFailed, approvalGranted,
            runInterrupted, runFinished
    }
}
