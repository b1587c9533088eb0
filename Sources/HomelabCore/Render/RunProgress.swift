/// Where a run stands as its updates arrive: what runs (since when, which attempt, what it last
/// said), what finished, and how long the rest should take. The printer's live view and its
/// ETA read it; it lives under the printer's lock.
struct RunProgress: Sendable {
    struct Running: Sendable, Equatable {
        /// Run time at the instance's first attempt: the elapsed time shown covers its retries.
        var since: Duration
        var attempt: Int
        var attempts: Int
        var message: String?
    }

    /// Run time when `runStarted` arrived; stamps count from here.
    var start: Duration?
    var total = 0
    var finished: [String: StepResult] = [:]
    /// Running instances in the order they started.
    var order: [String] = []
    var running: [String: Running] = [:]
    var isOver = false

    var failed: Int {
        finished.values.count { if case .failed = $0 { true } else { false } }
    }

    mutating func apply(_ update: RunUpdate, at now: Duration) {
        switch update {
        case .runStarted(_, _, let instances, _):
            start = start ?? now
            total = instances
        case .stepRestored(let step, let result):
            finished[step] = result
        case .stepStarted(let step, let attempt, let of):
            if var known = running[step] {
                known.attempt = attempt
                known.attempts = of
                known.message = nil // what the last attempt said no longer holds
                running[step] = known
            } else {
                running[step] = Running(since: now, attempt: attempt, attempts: of)
                order.append(step)
            }
        case .stepMessage(let step, let message):
            guard let last = RunLineFormatter.split(message).last(where: { !$0.isEmpty }) else { return }
            running[step]?.message = last
        case .stepRetrying(let step, let attempt, _, let after):
            running[step]?.message = "attempt \(attempt) failed; retrying in \(ElapsedText.short(after))"
        case .stepFinished(let step, let result, _):
            finished[step] = result
            running[step] = nil
            order.removeAll { $0 == step }
        case .runStopping, .runNotice, .planChanged:
            break
        case .runFinished:
            isOver = true
        }
    }

    /// Run time since `runStarted` (or since the printer was made, before it).
    func elapsed(_ now: Duration) -> Duration {
        now - (start ?? .zero)
    }

    /// The work left divided by `parallelism`: for each instance not finished, its estimate
    /// (less what a running one has already spent). Instances without an estimate count as the
    /// median estimate; nil when there is no estimate at all (no earlier run to learn from).
    func eta(estimates: [String: Duration], parallelism: Int, now: Duration) -> Duration? {
        guard !estimates.isEmpty else { return nil }
        let typical = RunEstimates.median(Array(estimates.values))
        var remaining = Duration.zero
        var accounted = finished.count
        for (step, run) in running {
            let spent = now - run.since
            remaining += max(.zero, (estimates[step] ?? typical) - spent)
            accounted += 1
        }
        for (step, estimate) in estimates where finished[step] == nil && running[step] == nil {
            remaining += estimate
            accounted += 1
        }
        // Instances this run has that no earlier run finished (new ones, or never succeeded).
        remaining += typical * max(0, total - accounted)
        return remaining / max(1, parallelism)
    }
}
