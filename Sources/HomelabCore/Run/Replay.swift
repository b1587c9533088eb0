/// Where a run stood, read back from its journal: what is done (with outputs), what was in
/// flight when the process died, what an operator already approved.
public struct Replay: Sendable {
    public struct Done: Sendable, Equatable {
        public var result: StepResult
        public var outputs: [String: Value]
    }

    public var header: RunHeader?
    public var done: [String: Done] = [:]
    public var inFlight: Set<String> = []
    public var approved: Set<String> = []
    /// Instances whose last attempt failed for good: a resume that finds them gone from the
    /// runbook says so (`PlanChanges.removedFailed`).
    public var failed: Set<String> = []
    /// How the last process ended (nil while it went on, or died without a word).
    public var lastOutcome: RunOutcome?

    public init() {}

    public init(entries: [JournalEntry]) {
        for entry in entries { apply(entry.event) }
    }

    mutating func apply(_ event: JournalEvent) {
        switch event {
        case .runStarted(let header): self.header = header
        case .runResumed(_, _, let fingerprints):
            lastOutcome = nil
            header?.fingerprints = fingerprints.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        case .stepStarted(let step, _):
            inFlight.insert(step)
            failed.remove(step)
        case .stepSucceeded(let step, _, let outputs):
            inFlight.remove(step)
            var values: [String: Value] = [:]
            if case .map(let pairs) = outputs { for (key, value) in pairs { values[key] = value } }
            done[step] = Done(result: .succeeded, outputs: values)
        case .stepSatisfied(let step, let reason):
            inFlight.remove(step)
            done[step] = Done(result: .satisfied(reason), outputs: [:])
        case .stepSkipped(let step, _):
            inFlight.remove(step) // skips are decided again: conditions may read changed outputs
        case .stepFailed(let step, _, _, _, let final):
            inFlight.remove(step)
            if final { failed.insert(step) }
        case .approvalGranted(let step, _): approved.insert(step)
        case .runInterrupted: break // the outcome stays unknown: an interrupted run is resumable
        case .runFinished(let outcome): lastOutcome = outcome
        }
    }

    /// Forget instances that must run again (changed, or asked for with `--from`).
    public mutating func forget(_ ids: Set<String>) {
        for id in ids {
            done[id] = nil
            inFlight.remove(id)
            approved.remove(id)
        }
    }

    /// Finished means succeeded: anything else can be resumed.
    public var isFinished: Bool { lastOutcome == .succeeded }
}
