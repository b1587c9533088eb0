/// The runs in a state directory, read from their journals: for `status`, `history`, `report`
/// and for finding the run to resume.
public struct RunHistory {
    public struct Run: Sendable {
        public var id: String
        public var entries: [JournalEntry]
        public var replay: Replay
        public var hadTornTail: Bool
    }

    public let state: StateDirectory

    public init(state: StateDirectory) {
        self.state = state
    }

    public func read(_ runID: String) throws(JournalError) -> Run {
        let contents = try JournalReader.read(state.journalPath(runID))
        return Run(id: runID, entries: contents.entries, replay: Replay(entries: contents.entries), hadTornTail: contents.hadTornTail)
    }

    /// Newest first; damaged journals are returned as errors, not skipped.
    public func all() -> [Result<Run, JournalError>] {
        state.runIDs().reversed().map { id in Result { () throws(JournalError) -> Run in try read(id) } }
    }

    /// The newest run that did not succeed (and can therefore be resumed), optionally only
    /// among the runs of one runbook file.
    /// A damaged journal counts as unfinished, so that resuming it reports the damage instead
    /// of quietly picking an older run; a run that died before its first event never started.
    public func lastUnfinished(of runbook: String? = nil) -> String? {
        lastUnfinishedJournal(of: runbook)?.id
    }

    /// The same, with the journal as read, so that resuming does not read it twice.
    public func lastUnfinishedJournal(of runbook: String? = nil) -> (id: String, contents: Result<JournalReader.Contents, JournalError>)? {
        let file = runbook.map(RunSession.absolute)
        for id in state.runIDs().reversed() {
            let contents = Result { () throws(JournalError) -> JournalReader.Contents in try JournalReader.read(state.journalPath(id)) }
            guard case .success(let journal) = contents else {
                if file == nil { return (id, contents) }
                continue
            }
            let replay = Replay(entries: journal.entries)
            guard let header = replay.header, !replay.isFinished else { continue }
            if file == nil || header.file == file { return (id, contents) }
        }
        return nil
    }
}
