import Foundation

/// A run's journal read as facts per step instance: when each started and ended, how many
/// attempts it took, how it ended and why. What `status`, `history`, `report` and the ETA
/// estimates show. (`Replay` answers another question: what a resume may skip.)
public struct RunTimeline: Sendable {
    public enum State: Sendable, Equatable {
        /// Not started yet, or to run again (a resume changed it, or it failed before).
        case pending
        /// Started, no end recorded (yet).
        case running
        /// Was running when its session stopped; a resume probes it again.
        case cutOff
        case succeeded
        case satisfied(String)
        case skipped(String)
        case failed(String)

        public var isDone: Bool {
            switch self {
            case .succeeded, .satisfied, .skipped: true
            default: false
            }
        }
    }

    /// One failed attempt, as the journal recorded it.
    public struct Failure: Sendable, Equatable {
        public var attempt: Int
        public var error: String
        public var isFinal: Bool
        public var time: Date
    }

    public struct Step: Sendable {
        public var id: String
        public var state: State = .pending
        /// Attempts started over every session (an instance that failed before it could start,
        /// such as on an input that cannot be resolved, has none).
        public var attempts = 0
        /// The start of the instance's last execution: its first attempt in the session that
        /// ran it last. A resumed instance's time does not include the pause between sessions.
        public var started: Date?
        /// The start of its last attempt.
        public var attemptStarted: Date?
        public var ended: Date?
        public var failures: [Failure] = []
        var session = 0

        init(id: String) {
            self.id = id
        }

        /// From the first attempt of its last execution to its end; nil when it did not run to an
        /// end (or needed no attempt: already satisfied, skipped).
        public var duration: Duration? {
            guard let started, let ended else { return nil }
            return RunTimeline.duration(from: started, to: ended)
        }

        /// How long its last attempt took (stepStarted to stepSucceeded): what estimates learn from.
        public var lastAttemptDuration: Duration? {
            guard let attemptStarted, let ended else { return nil }
            return RunTimeline.duration(from: attemptStarted, to: ended)
        }

        /// The error of the final failure, when it failed.
        public var error: String? {
            if case .failed(let error) = state { return error }
            return nil
        }
    }

    public let header: RunHeader?
    /// Instances of the run's current plan, in plan order (instances added by a resume last).
    public private(set) var steps: [Step] = []
    /// When the run was started (its first journal entry).
    public private(set) var started: Date?
    /// When the last session recorded its end (runFinished or runInterrupted); nil while in
    /// progress or when the process died first.
    public private(set) var ended: Date?
    /// The time of the last entry: how far a run that did not record its end got.
    public private(set) var lastActivity: Date?
    /// How the last session ended; `.interrupted` for runInterrupted.
    public private(set) var outcome: RunOutcome?
    public private(set) var stopReason: StopReason?
    public private(set) var resumes = 0
    /// The process of the last session.
    public private(set) var pid: Int32?
    /// Time spent in sessions, without the pauses between them.
    public private(set) var activeTime = Duration.zero
    /// Each instance's fingerprint as the last session planned it.
    public private(set) var fingerprints: [String: String] = [:]
    /// What each resume that found the plan changed added, removed and changed (by fingerprint),
    /// with the resume's number (1 for the first).
    public private(set) var planChanges: [(resume: Int, changes: PlanChanges)] = []
    private var index: [String: Int] = [:]
    private var session = 0
    private var sessionStart: Date?

    public init(entries: [JournalEntry]) {
        var header: RunHeader?
        if case .runStarted(let first)? = entries.first?.event { header = first }
        self.header = header
        for entry in entries { apply(entry) }
        closeSession(at: lastActivity)
    }

    public func step(_ id: String) -> Step? {
        index[id].map { steps[$0] }
    }

    /// From the start to the recorded end, or to the last entry when none was recorded.
    public var duration: Duration? {
        guard let started, let end = ended ?? lastActivity else { return nil }
        return Self.duration(from: started, to: end)
    }

    public var total: Int { steps.count }
    public var done: Int { steps.count { $0.state.isDone } }
    public var failed: [Step] { steps.filter { $0.error != nil } }
    public var running: [Step] { steps.filter { $0.state == .running } }
    public var cutOff: [Step] { steps.filter { $0.state == .cutOff } }
    public var pending: Int { steps.count { $0.state == .pending || $0.state == .cutOff } }

    private mutating func apply(_ entry: JournalEntry) {
        let time = entry.time
        let current = session // closures that change a step must not read self while it changes
        lastActivity = time
        switch entry.event {
        case .runStarted(let header):
            started = time
            pid = header.pid
            openSession(at: time)
            for (id, print) in header.fingerprints {
                fingerprints[id] = print
                if index[id] == nil { add(id) }
            }
        case .runResumed(let pid, let changed, let fingerprints):
            closeSession(at: time)
            // The previous session died under what was still running.
            for position in steps.indices where steps[position].state == .running { steps[position].state = .cutOff }
            openSession(at: time)
            self.pid = pid
            resumes += 1
            outcome = nil
            stopReason = nil
            ended = nil
            if !fingerprints.isEmpty {
                let before = steps.compactMap { step in self.fingerprints[step.id].map { (step.id, $0) } }
                let changes = PlanChanges(
                    before: before, now: fingerprints.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                    failed: Set(steps.filter { $0.error != nil }.map(\.id)))
                if !changes.isEmpty { planChanges.append((resumes, changes)) }
                self.fingerprints = fingerprints
                steps.removeAll { fingerprints[$0.id] == nil }
                reindex()
                for id in fingerprints.keys.sorted() where index[id] == nil { add(id) }
            }
            // Failed steps run again; changed ones too (what depends on them as well, which the
            // journal does not list: they show as done until they start again). Their failures
            // stay on record; their times belong to the execution that no longer counts.
            for position in steps.indices where steps[position].error != nil || changed.contains(steps[position].id) {
                steps[position].state = .pending
                steps[position].started = nil
                steps[position].attemptStarted = nil
                steps[position].ended = nil
            }
        case .stepStarted(let id, _):
            update(id) { step in
                // A new execution (first start, or again in a later session); retries within
                // one execution keep its start.
                if step.session != current || step.ended != nil {
                    step.started = time
                    step.ended = nil
                }
                step.session = current
                step.state = .running
                step.attempts += 1
                step.attemptStarted = time
            }
        case .stepSucceeded(let id, _, _):
            update(id) { Self.finish(&$0, .succeeded, at: time, session: current) }
        case .stepSatisfied(let id, let reason):
            update(id) { step in
                Self.finish(&step, .satisfied(reason), at: time, session: current)
                step.started = nil // decided by a probe: no attempt to time
            }
        case .stepSkipped(let id, let reason):
            update(id) { step in
                Self.finish(&step, .skipped(reason), at: time, session: current)
                step.started = nil
            }
        case .stepFailed(let id, let attempt, let error, _, let final):
            update(id) { step in
                step.failures.append(Failure(attempt: attempt, error: error, isFinal: final, time: time))
                if final {
                    // Failed before any attempt could start: its execution is this moment.
                    if step.state != .running || step.session != current { step.started = time }
                    Self.finish(&step, .failed(error), at: time, session: current)
                }
            }
        case .approvalGranted:
            break
        case .runInterrupted(let reason):
            outcome = .interrupted
            stopReason = reason
            endSession(at: time)
        case .runFinished(let outcome):
            self.outcome = outcome
            endSession(at: time)
        }
    }

    private static func finish(_ step: inout Step, _ state: State, at time: Date, session: Int) {
        step.state = state
        step.ended = time
        step.session = session
    }

    private mutating func update(_ id: String, _ change: (inout Step) -> Void) {
        if index[id] == nil { add(id) } // not in the header: an older journal, or a hand-made one
        change(&steps[index[id]!])
    }

    private mutating func add(_ id: String) {
        index[id] = steps.count
        steps.append(Step(id: id))
    }

    private mutating func reindex() {
        index = Dictionary(uniqueKeysWithValues: steps.enumerated().map { ($0.element.id, $0.offset) })
    }

    private mutating func openSession(at time: Date) {
        session += 1
        sessionStart = time
    }

    private mutating func endSession(at time: Date) {
        ended = time
        closeSession(at: time)
        for position in steps.indices where steps[position].state == .running { steps[position].state = .cutOff }
    }

    private mutating func closeSession(at time: Date?) {
        guard let start = sessionStart, let time else { return }
        activeTime += Self.duration(from: start, to: time)
        sessionStart = nil
    }

    static func duration(from start: Date, to end: Date) -> Duration {
        .milliseconds(Int64((end.timeIntervalSince(start) * 1000).rounded()))
    }
}
