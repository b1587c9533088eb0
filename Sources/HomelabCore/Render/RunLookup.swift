/// Finds the run a command names (or the newest one) and reads where it stands, with errors
/// that say what to do: `status` and `report` share it.
public enum RunLookup {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case noRuns(state: String)
        case unknown(runID: String, state: String, suggestion: String)
        case damaged(JournalError)

        public var description: String {
            switch self {
            case .noRuns(let state): "no runs in \(state); start one with 'homelab run RUNBOOK'"
            case .unknown(let id, let state, let suggestion): "no run '\(id)' in \(state)\(suggestion); see 'homelab history'"
            case .damaged(let error): error.description
            }
        }
    }

    /// Run `runID`, or the newest run when nil.
    public static func status(_ runID: String?, in state: StateDirectory) throws(Failure) -> RunStatus {
        let ids = state.runIDs()
        guard let id = runID ?? ids.last else { throw .noRuns(state: state.path) }
        try requireKnown(id, among: ids, in: state)
        do {
            return try RunStatus.read(id, in: RunHistory(state: state))
        } catch {
            throw .damaged(error)
        }
    }

    /// Fails unless the state directory has run `runID`: `resume` asks this before it opens a
    /// journal, so that a mistyped id is "no run 'x'", not "cannot read journal".
    public static func requireKnown(_ runID: String, in state: StateDirectory) throws(Failure) {
        try requireKnown(runID, among: state.runIDs(), in: state)
    }

    private static func requireKnown(_ runID: String, among ids: [String], in state: StateDirectory) throws(Failure) {
        guard ids.contains(runID) else {
            throw ids.isEmpty ? .noRuns(state: state.path) : .unknown(runID: runID, state: state.path, suggestion: Suggestion.hint(for: runID, in: ids))
        }
    }
}
