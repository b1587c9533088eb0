/// Where one run stands, from its journal and the state directory's lock: what `status` and
/// `history` show, and what `report` starts from.
public struct RunStatus: Sendable {
    public enum Progress: Sendable, Equatable {
        /// The run recorded how it ended (runFinished, or runInterrupted as `.interrupted`).
        case ended(RunOutcome)
        /// No end recorded. `alive` when the lock names this run and its process still runs
        /// (or runs on another host, which cannot be checked); otherwise the process died
        /// without recording its end, and the run can be resumed.
        case inProgress(pid: Int32?, alive: Bool)
    }

    public var runID: String
    public var journal: String
    public var timeline: RunTimeline
    public var progress: Progress
    /// The journal's last line was cut short (the process died while writing it).
    public var hadTornTail: Bool

    public init(run: RunHistory.Run, journal: String, lock: LockState) {
        runID = run.id
        self.journal = journal
        timeline = RunTimeline(entries: run.entries)
        hadTornTail = run.hadTornTail
        if let outcome = timeline.outcome {
            progress = .ended(outcome)
        } else if case .held(let holder, let alive) = lock, holder.runID == run.id {
            progress = .inProgress(pid: timeline.pid ?? holder.pid, alive: alive)
        } else {
            progress = .inProgress(pid: timeline.pid, alive: false)
        }
    }

    /// Reads run `runID` of `history`; the journal's damage, if any, is thrown with file and line.
    public static func read(_ runID: String, in history: RunHistory) throws(JournalError) -> RunStatus {
        RunStatus(run: try history.read(runID), journal: history.state.journalPath(runID), lock: RunLock.current(in: history.state))
    }

    public var header: RunHeader? { timeline.header }

    /// succeeded, failed, interrupted, deadline-exceeded or in-progress.
    public var outcomeName: String {
        switch progress {
        case .ended(let outcome): outcome.rawValue
        case .inProgress: "in-progress"
        }
    }

    /// `failed`, `in progress (pid 4242 alive)`, `in progress (pid 4242 dead)`.
    public var outcomeText: String {
        switch progress {
        case .ended(let outcome): outcome.rawValue
        case .inProgress(let pid, let alive): "in progress (\(pid.map { "pid \($0) " } ?? "")\(alive ? "alive" : "dead"))"
        }
    }

    /// Whether `homelab resume` can carry on with it: it did not succeed and nothing runs it now.
    public var isResumable: Bool {
        switch progress {
        case .ended(let outcome): outcome != .succeeded
        case .inProgress(_, let alive): !alive
        }
    }
}
