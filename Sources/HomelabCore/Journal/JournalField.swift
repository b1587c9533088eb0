/// The keys of a journal line, spelled once for writing and reading alike. Journals on disk use
/// these names: renaming a case's raw value breaks every journal written before.
enum JournalField: String {
    // Every line.
    case seq, at, event
    // runStarted, runResumed.
    case run, runbook, file, inventory, storage, drill, host, user, pid, params, fingerprints, changed
    // Step events.
    case step, attempt, outputs, reason, error, retryable, final, by
    // runFinished.
    case outcome
}
